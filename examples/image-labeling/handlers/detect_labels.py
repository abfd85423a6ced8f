"""Stands in for Rekognition DetectLabels (aws-sdk:rekognition:detectLabels).

Reads the DetectLabels request on stdin ({"Image": {"S3Object": {"Bucket",
"Name"}}, "MaxLabels"}) and answers the labels handlers/labels.json lists for
that object name, as DetectLabels would. Unknown images get no labels.
"""
import json
import os
import sys

request = json.load(sys.stdin)
name = request["Image"]["S3Object"]["Name"]
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "labels.json")) as f:
    labels = json.load(f).get(os.path.basename(name), [])
labels = labels[: request.get("MaxLabels", len(labels))]
print(json.dumps({"Labels": labels, "LabelModelVersion": "3.0"}))
