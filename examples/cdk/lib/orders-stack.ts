import * as cdk from "aws-cdk-lib";
import { Construct } from "constructs";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";

// cdk.out/ holds what `cdk synth` writes for this stack.
export class OrdersStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props?: cdk.StackProps) {
    super(scope, id, props);

    const table = new dynamodb.Table(this, "OrdersTable", {
      partitionKey: { name: "pk", type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    });

    // Good: read-only access to one table, tracing, JSON logs with a retained
    // log group, reserved concurrency and an error alarm.
    const ordersLogs = new logs.LogGroup(this, "OrdersHandlerLogs", { retention: logs.RetentionDays.ONE_YEAR });
    const orders = new lambda.Function(this, "OrdersHandler", {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: "index.handler",
      code: lambda.Code.fromAsset("lambda/orders"),
      tracing: lambda.Tracing.ACTIVE,
      loggingFormat: lambda.LoggingFormat.JSON,
      logGroup: ordersLogs,
      reservedConcurrentExecutions: 10,
      environment: { TABLE_NAME: table.tableName },
    });
    table.grantReadData(orders);
    new cloudwatch.Alarm(this, "OrdersErrors", {
      metric: orders.metricErrors(),
      threshold: 1,
      evaluationPeriods: 1,
    });

    // Bad: a public function URL with CORS *, AmazonS3FullAccess, a
    // plaintext secret-named variable (deliberately fake), a deprecated
    // runtime, no tracing, no log retention.
    const web = new lambda.Function(this, "WebHandler", {
      runtime: lambda.Runtime.NODEJS_20_X,
      handler: "index.handler",
      code: lambda.Code.fromAsset("lambda/web"),
      environment: { SESSION_SECRET: "example-not-a-real-secret" },
    });
    web.role?.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName("AmazonS3FullAccess"));
    web.addFunctionUrl({
      authType: lambda.FunctionUrlAuthType.NONE,
      cors: { allowedOrigins: ["*"] },
    });
  }
}
