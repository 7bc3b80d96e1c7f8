# The order service's current IAM grants, for `policy generate --compare`.
resource "aws_iam_role" "order" {
  name = "order-service-exec-role"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy" "app" {
  name = "app"
  role = aws_iam_role.order.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"], Resource = "arn:aws:dynamodb:us-east-1:123456789012:table/Orders" },
      { Effect = "Allow", Action = "sns:Publish", Resource = "*" },
    ]
  })
}

resource "aws_iam_role_policy_attachment" "basic" {
  role       = aws_iam_role.order.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}

resource "aws_lambda_function" "order" {
  function_name = "order-service-handler"
  role          = aws_iam_role.order.arn
  handler       = "index.handler"
  runtime       = "nodejs20.x"
  filename      = "order.zip"
  tracing_config {
    mode = "Active"
  }
}
