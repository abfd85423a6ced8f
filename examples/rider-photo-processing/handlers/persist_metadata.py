"""PersistMetadataFunction: stores the photo metadata with the rider's profile."""
import json

from common import answer, data_file, event

e = event()
item = {"Username": e["userId"], "s3bucket": e["s3Bucket"], "s3key": e["s3Key"],
        "faceId": e["parallelResult"][0]["FaceId"],
        "thumbnail": e["parallelResult"][1]["thumbnail"]}
with open(data_file("metadata", e["userId"] + ".json"), "w") as f:
    json.dump(item, f)
answer({})
