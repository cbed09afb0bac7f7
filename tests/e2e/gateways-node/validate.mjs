// Validates every HTTPRoute in the JSON array read from stdin with @kubernetes-models/gateway-api
// (offline). Prints "ok N", or one line per invalid object and exits 1.
import { readFileSync } from "node:fs";
import { HTTPRoute } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute";

const objects = JSON.parse(readFileSync(0, "utf8"));
let failed = 0;
for (const object of objects) {
  try {
    new HTTPRoute(object).validate();
  } catch (error) {
    failed += 1;
    console.log(`${object?.metadata?.name}: ${String(error.message).slice(0, 2000)}`);
  }
}
if (failed) process.exit(1);
console.log(`ok ${objects.length}`);
