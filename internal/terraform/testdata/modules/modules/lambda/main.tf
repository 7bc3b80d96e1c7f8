variable "name" {}

module "role" {
  source = "../role"
  name   = "${var.name}-role"
}

resource "aws_lambda_function" "this" {
  function_name = var.name
  role          = module.role.arn
  filename      = "${path.module}/fn.zip"
}

output "function_name" {
  value = aws_lambda_function.this.function_name
}
