package sam

//go:generate go run ./internal/gentemplates
