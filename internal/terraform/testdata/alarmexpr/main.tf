resource "aws_cloudwatch_metric_alarm" "rate" {
  alarm_name          = "error-rate"
  comparison_operator = "GreaterThanThreshold"
  evaluation_periods  = 1
  threshold           = 5

  metric_query {
    id          = "rate"
    expression  = "100*e/i"
    return_data = true
  }

  metric_query {
    id = "e"
    metric {
      namespace   = "AWS/Lambda"
      metric_name = "Errors"
      period      = 60
      stat        = "Sum"
      dimensions  = { FunctionName = "orders" }
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "insights" {
  alarm_name          = "insights"
  comparison_operator = "GreaterThanThreshold"
  evaluation_periods  = 1
  threshold           = 1

  metric_query {
    id          = "q"
    expression  = "SELECT SUM(Errors) FROM SCHEMA(\"AWS/Lambda\", FunctionName) WHERE FunctionName = 'orders'"
    period      = 60
    return_data = true
  }
}
