# The well-built services: one module instance per function, each with its
# own least-privilege role, log group, alarms, dead-letter queue and alias.

locals {
  services = {
    "orders-api" = {
      description = "HTTP API for creating and reading orders"
      runtime     = "nodejs24.x"
      handler     = "index.handler"
      source_dir  = "${path.module}/src/orders-api"
      memory_mb   = 512
      timeout     = 10
      concurrency = 50
      environment = {
        ORDERS_TABLE = aws_dynamodb_table.orders.name
        LOG_LEVEL    = "info"
      }
      policy_statements = [
        {
          sid       = "OrdersTable"
          actions   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"]
          resources = [aws_dynamodb_table.orders.arn]
        },
      ]
    }
    "invoice-worker" = {
      description = "Renders invoices for paid orders"
      runtime     = "python3.13"
      handler     = "handler.main"
      source_dir  = "${path.module}/src/invoice-worker"
      memory_mb   = 1024
      timeout     = 60
      concurrency = 10
      environment = {
        ORDERS_TABLE    = aws_dynamodb_table.orders.name
        INVOICES_BUCKET = aws_s3_bucket.invoices.bucket
      }
      policy_statements = [
        {
          sid       = "ReadOrders"
          actions   = ["dynamodb:GetItem"]
          resources = [aws_dynamodb_table.orders.arn]
        },
        {
          sid       = "WriteInvoices"
          actions   = ["s3:PutObject"]
          resources = ["${aws_s3_bucket.invoices.arn}/invoices/*"]
        },
      ]
    }
  }
}

module "services" {
  source   = "./modules/lambda-service"
  for_each = local.services

  name                    = "${each.key}-${var.environment}"
  description             = each.value.description
  runtime                 = each.value.runtime
  handler                 = each.value.handler
  source_dir              = each.value.source_dir
  memory_mb               = each.value.memory_mb
  timeout_seconds         = each.value.timeout
  reserved_concurrency    = each.value.concurrency
  environment             = each.value.environment
  policy_statements       = each.value.policy_statements
  kms_key_arn             = aws_kms_key.lambda.arn
  artifact_bucket         = aws_s3_bucket.artifacts.id
  signing_profile_name    = aws_signer_signing_profile.lambda.name
  code_signing_config_arn = aws_lambda_code_signing_config.enforce.arn
  alarm_topic_arn         = aws_sns_topic.alarms.arn
  layers                  = [var.insights_layer_arn]

  depends_on = [aws_s3_bucket_versioning.artifacts]
}
