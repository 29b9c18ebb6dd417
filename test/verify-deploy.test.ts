/**
 * Verification of an Ignition deployment (`npx hardhat ignition verify <deployment-id>`, README
 * "Verify the contracts"): the explorer is sent each contract's constructor arguments as Ignition
 * recorded them in the journal, ABI-encoded. WorkEscrow's constructor takes a struct (its settings)
 * and arrays of structs; this checks that the recorded arguments encode to exactly the bytes the
 * deployment transaction appended to the creation code, for every contract of the suite — which is
 * what an explorer compares.
 */
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import hre from "hardhat";
import { Interface } from "ethers";
import { getVerificationInformation } from "@nomicfoundation/ignition-core";

describe("verification of the Ignition deployment (constructor with a struct)", function () {
  this.timeout(120_000);
  const id = `verify-test-${process.pid}`;
  const dir = path.join(hre.config.paths.ignition, "deployments", id);

  after(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  it("the journal's constructor arguments re-encode to each creation transaction's tail", async function () {
    // Ignition builds with the production profile unless a profile is given; the test run's own
    // profile has the same compiler settings (hardhat.config.ts) and is built already.
    const options = hre.globalOptions as { buildProfile?: string };
    const profile = options.buildProfile;
    options.buildProfile = profile ?? "default";
    try {
      await hre.tasks.getTask(["ignition", "deploy"]).run({
        modulePath: path.join("deploy", "modules", "WorkEscrow.ts"),
        parameters: path.join("deploy", "parameters", "hardhat.json"),
        deploymentId: id,
        writeLocalhostDeployment: true,
      });
    } finally {
      options.buildProfile = profile;
    }
    // The creation transactions' data, as the journal recorded what was sent.
    const sent = new Map<string, string>();
    for (const line of readFileSync(path.join(dir, "journal.jsonl"), "utf8").split("\n")) {
      if (!line.includes('"NETWORK_INTERACTION_REQUEST"')) continue;
      const entry = JSON.parse(line) as { futureId: string; networkInteraction: { data: string } };
      sent.set(entry.futureId.split("#")[1], entry.networkInteraction.data);
    }
    const seen: string[] = [];
    for await (const info of getVerificationInformation(dir)) {
      expect(typeof info, `an artifact Ignition could not find: ${String(info)}`).to.not.equal(
        "string",
      );
      if (typeof info === "string") continue;
      const name = info.contract.split(":")[1];
      const artifact = await hre.artifacts.readArtifact(name);
      const encoded = new Interface(artifact.abi).encodeDeploy(info.constructorArgs as unknown[]);
      const data = sent.get(name)!;
      expect(data, `${name}: its creation transaction`).to.be.a("string");
      expect(data.endsWith(encoded.slice(2)), `${name}: constructor arguments`).to.equal(true);
      expect(data.length, name).to.equal(artifact.bytecode.length + encoded.length - 2);
      seen.push(name);
    }
    expect(seen).to.include.members([
      "WorkEscrow",
      "WorkEscrowExtension",
      "WorkEscrowForwarder",
      "CommunityFund",
    ]);
  });
});
