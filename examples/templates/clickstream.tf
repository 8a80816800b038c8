# The same clickstream pipeline in Terraform.
# `pipelint check examples/templates/clickstream.tf` reads it directly.

variable "shard_count" {
  type    = number
  default = 2
}

resource "aws_kinesis_stream" "clicks" {
  name             = "clicks"
  shard_count      = var.shard_count
  retention_period = 48
}

resource "aws_lambda_function" "click_writer" {
  function_name = "click-writer"
  role          = aws_iam_role.writer.arn
  handler       = "app.handler"
  runtime       = "python3.12"
  filename      = "writer.zip"
  memory_size   = 512
  timeout       = 30
}

resource "aws_lambda_event_source_mapping" "clicks" {
  event_source_arn  = aws_kinesis_stream.clicks.arn
  function_name     = aws_lambda_function.click_writer.arn
  starting_position = "LATEST"
}

resource "aws_dynamodb_table" "clicks" {
  name         = "clicks"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"
  attribute {
    name = "id"
    type = "S"
  }
}

resource "aws_iam_role" "writer" {
  name = "click-writer"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "writer" {
  role = aws_iam_role.writer.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["dynamodb:PutItem", "dynamodb:UpdateItem"]
      Resource = aws_dynamodb_table.clicks.arn
    }]
  })
}

resource "aws_kinesis_firehose_delivery_stream" "archive" {
  name        = "clicks-archive"
  destination = "extended_s3"
  kinesis_source_configuration {
    kinesis_stream_arn = aws_kinesis_stream.clicks.arn
    role_arn           = aws_iam_role.writer.arn
  }
  extended_s3_configuration {
    role_arn           = aws_iam_role.writer.arn
    bucket_arn         = aws_s3_bucket.archive.arn
    buffering_interval = 300
    buffering_size     = 64
  }
}

resource "aws_s3_bucket" "archive" {
  bucket = "clicks-archive"
}

resource "aws_elasticsearch_domain" "search" {
  domain_name           = "clicks"
  elasticsearch_version = "7.10"
  cluster_config {
    instance_type  = "r5.large.elasticsearch"
    instance_count = 2
  }
}
