variable "workers" {
  default = {
    img = { memory = 512 }
    pdf = { memory = 1024 }
  }
}

resource "aws_iam_role" "w" {
  count = 2
  name  = "worker-${count.index}"
  assume_role_policy = jsonencode({
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

resource "aws_lambda_function" "w" {
  count         = 2
  function_name = "w-${count.index}"
  role          = aws_iam_role.w[count.index].arn
}

resource "aws_lambda_function" "workers" {
  for_each      = var.workers
  function_name = "worker-${each.key}"
  memory_size   = each.value.memory
  role          = aws_iam_role.w[0].arn
}

resource "aws_lambda_permission" "img" {
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.workers["img"].function_name
  principal     = "s3.amazonaws.com"
  source_arn    = "arn:aws:s3:::uploads"
}

resource "aws_lambda_function" "set" {
  for_each      = toset(["b", "a"])
  function_name = each.value
  role          = "arn:aws:iam::123456789012:role/x"
}

resource "aws_lambda_function" "none" {
  count         = 0
  function_name = "never"
}
