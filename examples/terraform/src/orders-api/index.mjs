// orders-api: create and read orders.
import { DynamoDBClient, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { randomUUID } from "node:crypto";

const db = new DynamoDBClient({});
const table = process.env.ORDERS_TABLE;

export const handler = async (event) => {
  if (event.requestContext.http.method === "POST") {
    const order = JSON.parse(event.body ?? "{}");
    const id = randomUUID();
    await db.send(new PutItemCommand({
      TableName: table,
      Item: { order_id: { S: id }, items: { S: JSON.stringify(order.items ?? []) } },
    }));
    console.log(JSON.stringify({ msg: "order created", order_id: id }));
    return { statusCode: 201, body: JSON.stringify({ id }) };
  }
  const id = event.pathParameters?.id;
  const out = await db.send(new GetItemCommand({ TableName: table, Key: { order_id: { S: id } } }));
  if (!out.Item) return { statusCode: 404, body: "{}" };
  return { statusCode: 200, body: JSON.stringify({ id, items: JSON.parse(out.Item.items.S) }) };
};
