// nightly-report (legacy): summarise the day's orders.
exports.handler = async () => {
  console.log("nightly report done");
  return { ok: true };
};
