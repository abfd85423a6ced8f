"""ThumbnailFunction: "resizes" the photo into the thumbnail bucket (a local folder)."""
import json

from common import answer, data_file, event

e = event()
key = "resized-" + e["s3Key"]
with open(data_file("thumbnails", key + ".json"), "w") as f:
    json.dump({"source": f"s3://{e['s3Bucket']}/{e['s3Key']}", "maxSize": 250}, f)
answer({"thumbnail": {"s3key": key, "s3bucket": "wildrydes-step-module-resources-thumbnails3bucket"}})
