resource "aws_iam_role" "r" {
  name = "r"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "file" {
  role   = aws_iam_role.r.id
  policy = file("${path.module}/missing.json")
}

resource "aws_iam_role_policy" "template" {
  role   = aws_iam_role.r.id
  policy = templatefile("policy.tpl.json", { bucket = "b" })
}

resource "aws_iam_role_policy" "guarded" {
  role   = aws_iam_role.r.id
  policy = try(file("absent.json"), "{\"Version\":\"2012-10-17\",\"Statement\":[]}")
}
