output "function_name" {
  description = "The function's name."
  value       = aws_lambda_function.this.function_name
}

output "function_arn" {
  description = "The function's unqualified ARN."
  value       = aws_lambda_function.this.arn
}

output "alias_name" {
  description = "The alias that callers invoke."
  value       = aws_lambda_alias.live.name
}

output "alias_arn" {
  description = "The alias ARN (what event sources and permissions target)."
  value       = aws_lambda_alias.live.arn
}

output "alias_invoke_arn" {
  description = "The alias invoke ARN, for API Gateway integrations."
  value       = aws_lambda_alias.live.invoke_arn
}

output "role_arn" {
  description = "The function's own execution role."
  value       = aws_iam_role.this.arn
}
