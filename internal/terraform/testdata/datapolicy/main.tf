data "aws_iam_policy" "s3" {
  name = "AmazonS3FullAccess"
}

data "aws_iam_policy" "basic" {
  arn = "arn:aws:iam::aws:policy/AWSLambdaBasicExecutionRole"
}

data "aws_iam_policy" "team" {
  name = "team-boundary"
}

resource "aws_iam_role" "r" {
  name = "r"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy_attachment" "s3" {
  role       = aws_iam_role.r.name
  policy_arn = data.aws_iam_policy.s3.arn
}

resource "aws_iam_role_policy_attachment" "basic" {
  role       = aws_iam_role.r.name
  policy_arn = data.aws_iam_policy.basic.arn
}

resource "aws_iam_role_policy_attachment" "team" {
  role       = aws_iam_role.r.name
  policy_arn = data.aws_iam_policy.team.arn
}
