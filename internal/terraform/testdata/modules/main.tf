module "pay" {
  source = "./modules/lambda"
  name   = "pay"
}

module "jobs" {
  source   = "./modules/lambda"
  for_each = toset(["a", "b"])
  name     = "job-${each.key}"
}

module "counted" {
  source = "./modules/role"
  count  = 1
  name   = "counted"
}

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.0.0"
}

resource "aws_lambda_permission" "pay" {
  action        = "lambda:InvokeFunction"
  function_name = module.pay.function_name
  principal     = "events.amazonaws.com"
  source_arn    = module.vpc.some_arn
}
