"""Distributed Map over S3 end to end: the built server reads its items with an
ItemReader (CSV, JSONL, a ListObjectsV2 listing and an S3 Inventory manifest
with gzip-compressed CSV files) from moto_server's S3 and
writes its results with a ResultWriter, through the same S3 endpoint Task states
use (AWS_ENDPOINT_URL_S3, path-style, SigV4).

    python3 tests/e2e/test_distributed_map_s3.py --binary build/server/stepline
Exits 77 (skipped) when moto is not installed.
"""

import gzip
import json
import os
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "support"))  # moto_server
sys.path.insert(0, HERE)  # this folder's stepline_server
from stepline_server import SteplineServer, parse_args  # noqa: E402

BINARY = None
ROLE = "arn:aws:iam::123456789012:role/r"
BUCKET = "dmap-items"
INVENTORY = "dmap-inventory"
JSONL = b'{"n":1}\n{"n":2}\n\n{"n":3}\n'
PROCESSOR = {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
             "StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}


def machine(**map_fields):
    state = {"Type": "Map", "End": True, "ItemProcessor": PROCESSOR}
    state.update(map_fields)
    return json.dumps({"StartAt": "M", "States": {"M": state}})


class DistributedMapS3(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        try:
            from moto_server import MotoServer
            cls.moto = MotoServer().start()
        except ImportError:
            print("moto is not installed: skipped")
            sys.exit(77)
        cls.s3 = cls.moto.client("s3")
        cls.s3.create_bucket(Bucket=BUCKET)
        cls.s3.put_object(Bucket=BUCKET, Key="rows.csv", Body=b"id;name\n1;\"a;b\"\n2;c\n3;d\n")
        cls.s3.put_object(Bucket=BUCKET, Key="items.jsonl", Body=JSONL)
        # An S3 Inventory report as S3 writes one: manifest.json naming .csv.gz files.
        cls.s3.create_bucket(Bucket=INVENTORY)
        manifest = {"sourceBucket": BUCKET, "destinationBucket": "arn:aws:s3:::" + INVENTORY,
                    "version": "2016-11-30", "creationTimestamp": "1514944800000",
                    "fileFormat": "CSV", "fileSchema": "Bucket, Key, Size, LastModifiedDate",
                    "files": []}
        for i, rows in enumerate([[("csvDataset/", 0), ("csvDataset/titles.csv", 3399671)],
                                  [("imageDataset/n.png", 42)]]):
            key = "inv/%s/config/data/%d.csv.gz" % (BUCKET, i)
            text = "".join('"%s","%s","%d","2022-11-16T00:27:19.000Z"\n' % (BUCKET, k, n)
                           for k, n in rows)
            body = gzip.compress(text.encode())
            cls.s3.put_object(Bucket=INVENTORY, Key=key, Body=body)
            manifest["files"].append({"key": key, "size": len(body), "MD5checksum": "-"})
        cls.s3.put_object(Bucket=INVENTORY, Key="inv/manifest.json",
                          Body=json.dumps(manifest).encode())
        cls.server = SteplineServer(BINARY, env={"AWS_ENDPOINT_URL_S3": cls.moto.endpoint,
                                                 "AWS_ACCESS_KEY_ID": "test",
                                                 "AWS_SECRET_ACCESS_KEY": "test"})
        try:
            cls.server.start()
        except Exception:
            cls.moto.stop()
            raise
        cls.sfn = cls.server.client("stepfunctions")

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.moto.stop()

    def run_machine(self, name, definition, input_value):
        arn = self.sfn.create_state_machine(name=name, definition=definition,
                                            roleArn=ROLE)["stateMachineArn"]
        execution = self.sfn.start_execution(stateMachineArn=arn,
                                             input=json.dumps(input_value))["executionArn"]
        deadline = time.time() + 30
        while time.time() < deadline:
            d = self.sfn.describe_execution(executionArn=execution)
            if d["status"] != "RUNNING":
                return d
            time.sleep(0.05)
        self.fail("execution still RUNNING")

    def test_csv_items_batched_and_written_back(self):
        d = self.run_machine("dmap-csv", machine(
            ItemReader={"Resource": "arn:aws:states:::s3:getObject",
                        "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW",
                                         "CSVDelimiter": "SEMICOLON", "MaxItems": 3},
                        "Parameters": {"Bucket": BUCKET, "Key.$": "$.key"}},
            ItemBatcher={"MaxItemsPerBatch": 2, "BatchInput": {"src.$": "$.key"}},
            ResultWriter={"Resource": "arn:aws:states:::s3:putObject",
                          "Parameters": {"Bucket": BUCKET, "Prefix": "out"}}),
            {"key": "rows.csv"})
        self.assertEqual(d["status"], "SUCCEEDED", d.get("cause"))
        out = json.loads(d["output"])
        details = out["ResultWriterDetails"]
        self.assertEqual(details["Bucket"], BUCKET)
        self.assertEqual(details["Key"], "out/" + out["MapRunArn"].rsplit(":", 1)[1] + "/manifest.json")
        manifest = json.loads(self.s3.get_object(Bucket=BUCKET, Key=details["Key"])["Body"].read())
        self.assertEqual(manifest["MapRunArn"], out["MapRunArn"])
        key = manifest["ResultFiles"]["SUCCEEDED"][0]["Key"]
        results = json.loads(self.s3.get_object(Bucket=BUCKET, Key=key)["Body"].read())
        batches = [json.loads(r["Output"]) for r in results]
        self.assertEqual(batches, [
            {"BatchInput": {"src": "rows.csv"},
             "Items": [{"id": "1", "name": "a;b"}, {"id": "2", "name": "c"}]},
            {"BatchInput": {"src": "rows.csv"}, "Items": [{"id": "3", "name": "d"}]}])

    def test_jsonl_items(self):
        d = self.run_machine("dmap-jsonl", machine(
            ItemReader={"Resource": "arn:aws:states:::s3:getObject",
                        "ReaderConfig": {"InputType": "JSONL"},
                        "Parameters": {"Bucket": BUCKET, "Key": "items.jsonl"}}), {})
        self.assertEqual(d["status"], "SUCCEEDED", d.get("cause"))
        self.assertEqual(json.loads(d["output"]), [{"n": 1}, {"n": 2}, {"n": 3}])

    def test_listing_items(self):
        d = self.run_machine("dmap-list", machine(
            ItemReader={"Resource": "arn:aws:states:::s3:listObjectsV2",
                        "Parameters": {"Bucket": BUCKET, "Prefix": "items"}},
            ItemSelector={"key.$": "$$.Map.Item.Value.Key", "size.$": "$$.Map.Item.Value.Size"}), {})
        self.assertEqual(d["status"], "SUCCEEDED", d.get("cause"))
        self.assertEqual(json.loads(d["output"]), [{"key": "items.jsonl", "size": len(JSONL)}])

    def test_inventory_manifest_items(self):
        d = self.run_machine("dmap-manifest", machine(
            ItemReader={"Resource": "arn:aws:states:::s3:getObject",
                        "ReaderConfig": {"InputType": "MANIFEST"},
                        "Parameters": {"Bucket": INVENTORY, "Key": "inv/manifest.json"}}), {})
        self.assertEqual(d["status"], "SUCCEEDED", d.get("cause"))
        modified = "2022-11-16T00:27:19.000Z"
        self.assertEqual(json.loads(d["output"]), [
            {"Bucket": BUCKET, "Key": "csvDataset/", "Size": "0", "LastModifiedDate": modified},
            {"Bucket": BUCKET, "Key": "csvDataset/titles.csv", "Size": "3399671",
             "LastModifiedDate": modified},
            {"Bucket": BUCKET, "Key": "imageDataset/n.png", "Size": "42",
             "LastModifiedDate": modified}])

    def test_missing_object_is_item_reader_failed(self):
        d = self.run_machine("dmap-missing", machine(
            ItemReader={"Resource": "arn:aws:states:::s3:getObject",
                        "ReaderConfig": {"InputType": "JSON"},
                        "Parameters": {"Bucket": BUCKET, "Key": "nope.json"}}), {})
        self.assertEqual(d["status"], "FAILED")
        self.assertEqual(d["error"], "States.ItemReaderFailed")
        self.assertIn("NoSuchKey", d["cause"])


if __name__ == "__main__":
    BINARY = parse_args(__doc__).binary
    unittest.main(argv=[sys.argv[0]], verbosity=2)
