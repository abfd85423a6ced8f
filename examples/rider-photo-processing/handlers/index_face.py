"""IndexFaceFunction: adds the face to the collection; returns its FaceId."""
import hashlib

from common import answer, event, faces_in, load_collection, save_collection

e = event()
person = faces_in(e["s3Key"])[0]["faceId"]
face_id = hashlib.sha1(f"{e['s3Bucket']}/{e['s3Key']}".encode()).hexdigest()[:16]
faces = load_collection()
faces.append({"FaceId": face_id, "person": person, "ExternalImageId": e["userId"]})
save_collection(faces)
answer({"FaceId": face_id, "ExternalImageId": e["userId"]})
