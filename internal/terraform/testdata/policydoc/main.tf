variable "bucket_arn" {}

variable "queues" {
  default = ["a", "b"]
}

data "aws_iam_policy_document" "base" {
  statement {
    sid       = "Logs"
    actions   = ["logs:PutLogEvents"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "fn" {
  source_policy_documents = [data.aws_iam_policy_document.base.json]

  statement {
    sid       = "Read"
    effect    = "Allow"
    actions   = ["s3:GetObject"]
    resources = ["${var.bucket_arn}/*", aws_s3_bucket.b.arn]
  }

  dynamic "statement" {
    for_each = var.queues
    content {
      actions   = ["sqs:SendMessage"]
      resources = ["arn:aws:sqs:us-east-1:123456789012:${statement.value}"]
    }
  }

  statement {
    sid     = "Org"
    actions = ["s3:PutObject"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = ["o-123"]
    }
  }
}

resource "aws_s3_bucket" "b" {
  bucket = "data"
}

resource "aws_iam_role" "r" {
  name               = "r"
  assume_role_policy = "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}}"
  inline_policy {
    name   = "fn"
    policy = data.aws_iam_policy_document.fn.json
  }
}

resource "aws_iam_policy" "p" {
  name = "p"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = "s3:ListBucket"
        Resource = aws_s3_bucket.b.arn
      },
      {
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:PutObject"]
        Resource = ["${var.bucket_arn}/*", "arn:aws:s3:::known/*"]
      },
    ]
  })
}

resource "aws_iam_role_policy_attachment" "p" {
  role       = aws_iam_role.r.name
  policy_arn = aws_iam_policy.p.arn
}
