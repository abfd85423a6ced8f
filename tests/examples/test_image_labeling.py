"""examples/image-labeling: S3 listObjectsV2 -> Map over the objects ->
headObject -> Rekognition detectLabels (a local handler) -> Choice on the
label's parent -> S3 copyObject into <parent>/<label>/ or <label>/ ->
DynamoDB putItem, then getItem to read the record back. S3 and DynamoDB are a
moto_server; the test checks the copies and the items there with boto3.
"""

import collections
import json
import unittest

import example_support as ex

EXAMPLE = "image-labeling"
SOURCE = "rekognition-images-source"
TARGET = "rekognition-images-by-label"
IMAGES = {"dog.jpg": b"\xff\xd8\xff dog" * 10, "cat.png": b"\x89PNG cat" * 20,
          "sunset.jpg": b"\xff\xd8\xff sunset" * 30}
EXPECTED_COPY = {"dog.jpg": "Pet/Dog/dog.jpg", "cat.png": "Pet/Cat/cat.png",
                 "sunset.jpg": "Sky/sunset.jpg"}
LABEL = {"dog.jpg": "Dog", "cat.png": "Cat", "sunset.jpg": "Sky"}


class ImageLabeling(unittest.TestCase):
    BINARY = None

    @classmethod
    def setUpClass(cls):
        cls.moto = ex.MotoServer().start()
        cls.s3, cls.ddb = cls.moto.client("s3"), cls.moto.client("dynamodb")
        for bucket in (SOURCE, TARGET):
            cls.s3.create_bucket(Bucket=bucket)
        for key, body in IMAGES.items():
            cls.s3.put_object(Bucket=SOURCE, Key=key, Body=body,
                              ContentType="image/png" if key.endswith(".png") else "image/jpeg")
        cls.ddb.create_table(
            TableName="metadataDB", BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": "key_id", "KeyType": "HASH"},
                       {"AttributeName": "label", "KeyType": "RANGE"}],
            AttributeDefinitions=[{"AttributeName": "key_id", "AttributeType": "S"},
                                  {"AttributeName": "label", "AttributeType": "S"}])
        ex.start_example(cls, EXAMPLE, "ImageLabeling",
                         args=["--handlers", ex.example_path(EXAMPLE, "handlers.json")],
                         env={"AWS_ENDPOINT_URL": cls.moto.endpoint}, moto=cls.moto)

    @classmethod
    def tearDownClass(cls):
        ex.stop_example(cls)

    def test_every_image_is_labeled_filed_and_recorded(self):
        d, events = ex.run(self.sfn, self.arn, "label-all", ex.load_json(EXAMPLE, "input.json"))
        failures = [e for e in events if e["type"].endswith("Failed")]
        self.assertEqual(d["status"], "SUCCEEDED", (d, failures[:3]))
        path = ex.path_taken(events)
        self.assertEqual(path[:2], ["ListObjectsV2", "Map"])
        # Iterations run concurrently: compare what each state was entered for.
        self.assertEqual(collections.Counter(path[2:]), collections.Counter({
            "GetObjectAttributes": 3, "DetectLabels": 3, "Choice": 3,
            "CopyObjectWithParent": 2, "CopyObjectWithoutParent": 1,
            "DynamoDB PutItem": 3, "DynamoDB GetItem": 3}))
        self.assertEqual(sum(e["type"] == "MapIterationSucceeded" for e in events), 3)

        out = json.loads(d["output"])
        # listObjectsV2 lists keys in order; the Map keeps that order.
        self.assertEqual([o["Key"] for o in out["listing"]["objects"]],
                         ["cat.png", "dog.jpg", "sunset.jpg"])
        self.assertEqual([s["key"] for s in out["stored"]], ["cat.png", "dog.jpg", "sunset.jpg"])
        for stored in out["stored"]:
            key = stored["key"]
            self.assertEqual(stored["label"], LABEL[key])
            self.assertEqual(stored["size"], str(len(IMAGES[key])))
            self.assertTrue(stored["time"], stored)

        copies = self.s3.list_objects_v2(Bucket=TARGET)["Contents"]
        self.assertEqual(sorted(c["Key"] for c in copies), sorted(EXPECTED_COPY.values()))
        for key, copy in EXPECTED_COPY.items():
            body = self.s3.get_object(Bucket=TARGET, Key=copy)["Body"].read()
            self.assertEqual(body, IMAGES[key])

        items = self.ddb.scan(TableName="metadataDB")["Items"]
        self.assertEqual(len(items), 3)
        for item in items:
            key = item["key_id"]["S"]
            self.assertEqual(item["label"]["S"], LABEL[key])
            self.assertEqual(item["bucket"]["S"], TARGET)
            self.assertEqual(item["size"]["S"], str(len(IMAGES[key])))
            self.assertEqual(item["type"]["S"],
                             "image/png" if key.endswith(".png") else "image/jpeg")

        scheduled = [e["taskScheduledEventDetails"] for e in events if e["type"] == "TaskScheduled"]
        self.assertEqual(collections.Counter((s["resourceType"], s["resource"]) for s in scheduled),
                         collections.Counter({("aws-sdk:s3", "listObjectsV2"): 1,
                                              ("aws-sdk:s3", "headObject"): 3,
                                              ("aws-sdk:rekognition", "detectLabels"): 3,
                                              ("aws-sdk:s3", "copyObject"): 3,
                                              ("dynamodb", "putItem"): 3,
                                              ("dynamodb", "getItem"): 3}))


if __name__ == "__main__":
    ex.main(ImageLabeling)
