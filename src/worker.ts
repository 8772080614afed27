import { createApp } from "./api/app.ts";

export { Replica } from "../durable-objects/replica.ts";

export default createApp();
