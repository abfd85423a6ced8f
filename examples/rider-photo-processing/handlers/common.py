"""Helpers shared by the rider photo handlers (stand-ins for the tutorial's Lambdas).

State the "Rekognition collection", thumbnails and metadata table would hold
lives in $RIDER_PHOTOS_DATA (default: .data/ next to this example).
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.environ.get("RIDER_PHOTOS_DATA", os.path.join(HERE, "..", ".data"))


def event():
    return json.load(sys.stdin)


def answer(value):
    print(json.dumps(value))
    sys.exit(0)


def fail(error_type, message):
    # The Lambda error shape: Step Functions takes errorType as the error name.
    print(json.dumps({"errorType": error_type, "errorMessage": message}))
    sys.exit(1)


def faces_in(s3_key):
    with open(os.path.join(HERE, "photos.json")) as f:
        return json.load(f).get(s3_key, [])


def data_file(*parts):
    path = os.path.join(DATA, *parts)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    return path


def load_collection():
    try:
        with open(data_file("collection.json")) as f:
            return json.load(f)
    except FileNotFoundError:
        return []


def save_collection(faces):
    with open(data_file("collection.json"), "w") as f:
        json.dump(faces, f, indent=1)
