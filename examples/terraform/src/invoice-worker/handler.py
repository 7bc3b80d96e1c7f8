"""invoice-worker: render an invoice when an order is paid."""
import json
import logging
import os

import boto3

log = logging.getLogger()
dynamodb = boto3.client("dynamodb")
s3 = boto3.client("s3")


def main(event, context):
    order_id = event["detail"]["order_id"]
    order = dynamodb.get_item(TableName=os.environ["ORDERS_TABLE"], Key={"order_id": {"S": order_id}})
    body = json.dumps({"order_id": order_id, "items": order.get("Item", {}).get("items", {}).get("S", "[]")})
    s3.put_object(Bucket=os.environ["INVOICES_BUCKET"], Key=f"invoices/{order_id}.json", Body=body.encode())
    log.info("invoice written", extra={"order_id": order_id})
