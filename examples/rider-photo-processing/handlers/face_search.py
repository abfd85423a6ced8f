"""FaceSearchFunction: the face must not be in the collection yet."""
from common import answer, event, fail, faces_in, load_collection

e = event()
face_id = faces_in(e["s3Key"])[0]["faceId"]
if any(f["person"] == face_id for f in load_collection()):
    fail("FaceAlreadyExistsError", "Face in the picture is already in the system.")
answer(None)
