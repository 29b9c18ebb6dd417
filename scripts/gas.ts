/** `npm run gas`: runs the fixed gas scenarios and writes gas/report.md and gas/snapshot.json. */
import { writeFileSync } from "node:fs";
import { network } from "hardhat";
import { BUDGETS, measureGas, toMarkdown, toSnapshot } from "./gas-scenarios.js";

const { ethers, networkHelpers } = await network.create();
const report = await measureGas(ethers, networkHelpers);
const markdown = toMarkdown(report);
writeFileSync("gas/report.md", markdown);
writeFileSync("gas/snapshot.json", JSON.stringify(toSnapshot(report), null, 2) + "\n");
console.log(markdown);
const over = Object.entries(BUDGETS).filter(
  ([name, [, budget]]) => report.flows.find((f) => f.name === name)!.total > budget,
);
if (over.length > 0) {
  console.error(`over budget: ${over.map(([n]) => n).join(", ")}`);
  process.exitCode = 1;
}
