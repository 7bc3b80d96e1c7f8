variable "a" { default = "default" }
variable "b" { default = "default" }
variable "c" { default = "default" }
variable "d" { default = "default" }
variable "e" { default = "default" }
variable "f" { default = "default" }
variable "g" { default = "default" }
variable "n" {
  type    = number
  default = 1
}

resource "aws_lambda_function" "f" {
  function_name = "vars"
  role          = "arn:aws:iam::123456789012:role/literal"
  timeout       = var.n
  environment {
    variables = {
      A = var.a
      B = var.b
      C = var.c
      D = var.d
      E = var.e
      F = var.f
      G = var.g
    }
  }
}
