variable "prefix" {
  default = "shop"
}
variable "stage" {
  default = "dev"
}
variable "token" {}
