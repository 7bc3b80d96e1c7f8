import json


def handler(event, context):
    return {"statusCode": 200, "body": json.dumps({"ok": True})}


def reports(event, context):
    for record in event.get("Records", []):
        print(record["s3"]["object"]["key"])
