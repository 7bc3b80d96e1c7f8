# HTTP API in front of orders-api. Routes require IAM auth, and the invoke
# permission is pinned to this API (and to the alias the API calls).

resource "aws_apigatewayv2_api" "orders" {
  name          = "orders-${var.environment}"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_integration" "orders" {
  api_id                 = aws_apigatewayv2_api.orders.id
  integration_type       = "AWS_PROXY"
  integration_uri        = module.services["orders-api"].alias_invoke_arn
  payload_format_version = "2.0"
}

resource "aws_apigatewayv2_route" "create_order" {
  api_id             = aws_apigatewayv2_api.orders.id
  route_key          = "POST /orders"
  authorization_type = "AWS_IAM"
  target             = "integrations/${aws_apigatewayv2_integration.orders.id}"
}

resource "aws_apigatewayv2_route" "get_order" {
  api_id             = aws_apigatewayv2_api.orders.id
  route_key          = "GET /orders/{id}"
  authorization_type = "AWS_IAM"
  target             = "integrations/${aws_apigatewayv2_integration.orders.id}"
}

resource "aws_apigatewayv2_stage" "live" {
  api_id      = aws_apigatewayv2_api.orders.id
  name        = "$default"
  auto_deploy = true
}

resource "aws_lambda_permission" "orders_api_from_apigw" {
  statement_id  = "AllowOrdersHttpApi"
  action        = "lambda:InvokeFunction"
  function_name = module.services["orders-api"].function_name
  qualifier     = module.services["orders-api"].alias_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.orders.execution_arn}/*/*/orders*"
}

# invoice-worker runs when an order is paid (EventBridge rule), pinned to that rule.
resource "aws_cloudwatch_event_rule" "order_paid" {
  name        = "orders-paid-${var.environment}"
  description = "An order was paid"
  event_pattern = jsonencode({
    source      = ["orders.api"]
    detail-type = ["OrderPaid"]
  })
}

resource "aws_cloudwatch_event_target" "invoice_worker" {
  rule = aws_cloudwatch_event_rule.order_paid.name
  arn  = module.services["invoice-worker"].alias_arn
}

resource "aws_lambda_permission" "invoice_worker_from_events" {
  statement_id  = "AllowOrderPaidRule"
  action        = "lambda:InvokeFunction"
  function_name = module.services["invoice-worker"].function_name
  qualifier     = module.services["invoice-worker"].alias_name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.order_paid.arn
}
