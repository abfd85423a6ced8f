"""FaceDetectionFunction: exactly one face, not wearing sunglasses."""
from common import answer, event, fail, faces_in

e = event()
faces = faces_in(e["s3Key"])
if not faces:
    fail("PhotoDoesNotMeetRequirementError", "No face detected in the image.")
if len(faces) > 1:
    fail("PhotoDoesNotMeetRequirementError", "Detected more than one face in the image.")
face = faces[0]
if face["Sunglasses"]["Value"]:
    fail("PhotoDoesNotMeetRequirementError", "Face is wearing sunglasses.")
answer({k: v for k, v in face.items() if k != "faceId"})
