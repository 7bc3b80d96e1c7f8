variable "region" {
  description = "AWS region to deploy to."
  type        = string
  default     = "eu-west-1"
}

variable "environment" {
  description = "Deployment environment, used in names."
  type        = string
  default     = "prod"
}

variable "alarm_email" {
  description = "Where CloudWatch alarms are sent."
  type        = string
  default     = "oncall@example.com"
}

variable "insights_layer_arn" {
  description = "Lambda Insights extension layer (AWS-published) for arm64 in var.region."
  type        = string
  default     = "arn:aws:lambda:eu-west-1:580247275435:layer:LambdaInsightsExtension-Arm64:20"
}
