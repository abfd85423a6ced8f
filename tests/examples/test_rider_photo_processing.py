"""examples/rider-photo-processing: the Wild Rydes rider photo workflow with
local handlers for its Lambdas, and SNS publish / SQS sendMessage against a
moto_server.

A good photo goes FaceDetection -> CheckFaceDuplicate -> ParallelProcessing
(AddFaceToIndex + Thumbnail) -> PersistMetadata -> AnnouncePhotoProcessed (an
SQS message the test reads back). A photo with sunglasses, several faces or
none, and a second upload of an indexed face are caught and end in
PhotoDoesNotMeetRequirement -> NotifyRider (an SNS publish the test reads from
an SQS queue subscribed to the topic).
"""

import json
import os
import shutil
import tempfile
import unittest

import example_support as ex

EXAMPLE = "rider-photo-processing"
TOPIC = "rider-photo-notifications"
PROCESSED_QUEUE = "rider-photo-processed"
INBOX_QUEUE = "rider-notifications-inbox"


class RiderPhotoProcessing(unittest.TestCase):
    BINARY = None

    @classmethod
    def setUpClass(cls):
        cls.moto = ex.MotoServer().start()
        sqs, sns = cls.moto.client("sqs"), cls.moto.client("sns")
        cls.sqs = sqs
        cls.processed_url = sqs.create_queue(QueueName=PROCESSED_QUEUE)["QueueUrl"]
        cls.inbox_url = sqs.create_queue(QueueName=INBOX_QUEUE)["QueueUrl"]
        inbox_arn = sqs.get_queue_attributes(QueueUrl=cls.inbox_url, AttributeNames=["QueueArn"])[
            "Attributes"]["QueueArn"]
        topic_arn = sns.create_topic(Name=TOPIC)["TopicArn"]
        assert topic_arn == f"arn:aws:sns:us-east-1:{ex.ACCOUNT}:{TOPIC}", topic_arn
        sns.subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=inbox_arn,
                      Attributes={"RawMessageDelivery": "false"})
        cls.data = tempfile.mkdtemp(prefix="rider-photos-")
        ex.start_example(cls, EXAMPLE, "RiderPhotoProcessing-4",
                         args=["--handlers", ex.example_path(EXAMPLE, "handlers.json")],
                         env={"AWS_ENDPOINT_URL": cls.moto.endpoint, "RIDER_PHOTOS_DATA": cls.data},
                         moto=cls.moto)

    @classmethod
    def tearDownClass(cls):
        if os.environ.get("EXAMPLE_VERBOSE"):
            print(cls.server.log()[-2000:])
        ex.stop_example(cls)
        shutil.rmtree(cls.data, ignore_errors=True)

    def receive(self, url):
        got = self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=2)
        return [m["Body"] for m in got.get("Messages", [])]

    def rejected(self, name, input_file, error, reason):
        payload = ex.load_json(EXAMPLE, input_file) if isinstance(input_file, str) else input_file
        d, events = ex.run(self.sfn, self.arn, name, payload)
        self.assertEqual(d["status"], "SUCCEEDED", d)
        out = json.loads(d["output"])
        self.assertEqual(out["error"], error)
        self.assertIn(reason, out["message"])
        self.assertIn("MessageId", out["notification"])
        [body] = self.receive(self.inbox_url)
        envelope = json.loads(body)
        self.assertEqual(envelope["Subject"], "Your Wild Rydes profile photo")
        self.assertEqual(envelope["Message"], out["message"])
        self.assertEqual(envelope["MessageId"], out["notification"]["MessageId"])
        return ex.path_taken(events), events

    def test_1_a_good_photo_is_indexed_thumbnailed_persisted_and_announced(self):
        payload = ex.load_json(EXAMPLE, "input.json")
        d, events = ex.run(self.sfn, self.arn, "user_a", payload)
        self.assertEqual(d["status"], "SUCCEEDED", d)
        path = ex.path_taken(events)
        self.assertEqual(path[:3], ["FaceDetection", "CheckFaceDuplicate", "ParallelProcessing"])
        self.assertEqual(sorted(path[3:5]), ["AddFaceToIndex", "Thumbnail"])
        self.assertEqual(path[5:], ["PersistMetadata", "AnnouncePhotoProcessed"])
        out = json.loads(d["output"])
        self.assertEqual(out["userId"], "user_a")
        self.assertFalse(out["detectedFaceDetails"]["Sunglasses"]["Value"])
        index, thumb = out["parallelResult"]
        self.assertEqual(index["ExternalImageId"], "user_a")
        self.assertEqual(thumb["thumbnail"]["s3key"], "resized-1_happy_face.jpg")
        self.assertIn("MessageId", out["announcement"])
        self.assertIn("MD5OfMessageBody", out["announcement"])
        [body] = self.receive(self.processed_url)
        self.assertEqual(json.loads(body), {"userId": "user_a", "s3Key": "1_happy_face.jpg",
                                            "faceId": index["FaceId"],
                                            "thumbnail": thumb["thumbnail"]})
        with open(os.path.join(self.data, "metadata", "user_a.json")) as f:
            self.assertEqual(json.load(f)["faceId"], index["FaceId"])
        types = [e["type"] for e in events]
        self.assertEqual(types.count("LambdaFunctionSucceeded"), 5)
        self.assertIn("TaskSucceeded", types)  # sqs:sendMessage

    def test_2_the_same_face_again_is_a_duplicate(self):
        path, _ = self.rejected("user_x-duplicate", {"userId": "user_x",
                                "s3Bucket": "wildrydes-step-module-resources-riderphotos3bucket",
                                "s3Key": "1_happy_face.jpg"},
                                "FaceAlreadyExistsError", "already in the system")
        self.assertEqual(path, ["FaceDetection", "CheckFaceDuplicate",
                                "PhotoDoesNotMeetRequirement", "NotifyRider"])

    def test_3_sunglasses_are_caught_and_the_rider_notified(self):
        path, events = self.rejected("user_b", "input-sunglasses.json",
                                     "PhotoDoesNotMeetRequirementError", "sunglasses")
        self.assertEqual(path, ["FaceDetection", "PhotoDoesNotMeetRequirement", "NotifyRider"])
        failed = [e for e in events if e["type"] == "LambdaFunctionFailed"]
        self.assertEqual(failed[0]["lambdaFunctionFailedEventDetails"]["error"],
                         "PhotoDoesNotMeetRequirementError")
        scheduled = [e for e in events if e["type"] == "TaskScheduled"][0]
        self.assertEqual(scheduled["taskScheduledEventDetails"]["resourceType"], "sns")
        self.assertEqual(scheduled["taskScheduledEventDetails"]["resource"], "publish")

    def test_4_several_faces_or_none_are_caught(self):
        for name, file, reason in (("user_c", "input-multiple-faces.json", "more than one face"),
                                   ("user_d", "input-no-face.json", "No face detected")):
            path, _ = self.rejected(name, file, "PhotoDoesNotMeetRequirementError", reason)
            self.assertEqual(path, ["FaceDetection", "PhotoDoesNotMeetRequirement", "NotifyRider"])


if __name__ == "__main__":
    ex.main(RiderPhotoProcessing)
