module "lambda" {
  source  = "terraform-aws-modules/lambda/aws"
  version = "7.0.0"

  function_name = "registry-fn"
}

module "remote" {
  source = "git::https://example.com/modules/lambda.git"
}
