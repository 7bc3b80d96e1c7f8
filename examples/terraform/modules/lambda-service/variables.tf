variable "name" {
  description = "Function name; also names the role, log group, queue and alarms."
  type        = string
}

variable "description" {
  description = "What the function does."
  type        = string
  default     = ""
}

variable "runtime" {
  description = "Lambda runtime identifier (a supported one)."
  type        = string
}

variable "handler" {
  description = "Function entry point."
  type        = string
}

variable "source_dir" {
  description = "Folder with the function's code; zipped, uploaded and signed."
  type        = string
}

variable "memory_mb" {
  description = "Memory in MB."
  type        = number
  default     = 256
}

variable "timeout_seconds" {
  description = "Timeout in seconds."
  type        = number
  default     = 30
}

variable "reserved_concurrency" {
  description = "Reserved concurrent executions: caps the function's share of the account's concurrency."
  type        = number
}

variable "environment" {
  description = "Environment variables (no secrets: pass Secrets Manager ARNs instead)."
  type        = map(string)
  default     = {}
}

variable "policy_statements" {
  description = "The Allow statements the function needs beyond logs, tracing and its DLQ, each on specific resources."
  type = list(object({
    sid       = string
    actions   = list(string)
    resources = list(string)
  }))
  default = []
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key for environment variables, logs and the DLQ."
  type        = string
}

variable "artifact_bucket" {
  description = "Versioned S3 bucket for unsigned and signed packages."
  type        = string
}

variable "signing_profile_name" {
  description = "AWS Signer profile that signs the package."
  type        = string
}

variable "code_signing_config_arn" {
  description = "Code signing config that rejects unsigned code."
  type        = string
}

variable "alarm_topic_arn" {
  description = "SNS topic for the function's alarms."
  type        = string
}

variable "layers" {
  description = "Layer version ARNs (AWS-published or from this account)."
  type        = list(string)
  default     = []
}

variable "log_retention_days" {
  description = "Log retention; 365 days covers a SOC 2 audit period."
  type        = number
  default     = 365
}
