output "api_endpoint" {
  description = "Base URL of the orders HTTP API."
  value       = aws_apigatewayv2_api.orders.api_endpoint
}

output "service_functions" {
  description = "Function name of each well-built service."
  value       = { for k, s in module.services : k => s.function_name }
}

output "reports_export_url" {
  description = "The legacy export's public function URL (see legacy.tf)."
  value       = aws_lambda_function_url.reports_export.function_url
}
