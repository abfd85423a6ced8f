"""NotificationPlaceholderFunction: prepares the message NotifyRider publishes."""
import json

from common import answer, event

e = event()
info = e.get("errorInfo", {})
try:
    reason = json.loads(info.get("Cause", "{}")).get("errorMessage", info.get("Cause"))
except ValueError:
    reason = info.get("Cause")
answer({"userId": e["userId"], "s3Key": e["s3Key"], "error": info.get("Error"),
        "subject": "Your Wild Rydes profile photo",
        "message": f"Hi {e['userId']}, we could not use {e['s3Key']}: {reason} "
                   "Please upload a different photo."})
