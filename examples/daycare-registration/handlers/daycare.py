"""The tutorial's four daycare Lambda functions, run as local handlers.

    python3 daycare.py <checkInformation|checkAgeRange|checkSpotsAvailability|confirmRegistration>

The event arrives on stdin, the result goes to stdout ({"statusCode", "body"},
body being JSON text, as in the tutorial). "Today" is DAYCARE_TODAY
(YYYY-MM-DD) when set, so that ages, fees and start dates are reproducible;
DAYCARE_SPOTS (default 20) is the number of spots left.
"""
import datetime
import json
import os
import sys


def today():
    pinned = os.environ.get("DAYCARE_TODAY")
    return datetime.date.fromisoformat(pinned) if pinned else datetime.date.today()


def reply(status, body):
    return {"statusCode": status, "body": json.dumps(body)}


def check_information(event):
    info = event["registration_info"]
    for field in ("child", "parents", "daysOfWeek"):
        if field not in info:
            return {"statusCode": 400, "body": f"Missing required field: {field}"}
    return reply(200, info)


def check_age_range(event):
    info = json.loads(event["body"])
    born = datetime.date.fromisoformat(info["child"]["dateOfBirth"])
    now = today()
    age = now.year - born.year - ((now.month, now.day) < (born.month, born.day))
    if age < 2 or age > 5:
        return reply(400, "Child is not within the acceptable age range for this daycare.")
    info["child"]["age"] = age
    return reply(200, info)


def check_spots_availability(event):
    info = json.loads(event["body"])
    if int(os.environ.get("DAYCARE_SPOTS", "20")) <= 0:
        return reply(400, "No spots available in the daycare.")
    return reply(200, info)


def confirm_registration(event):
    info = json.loads(event["body"])
    age = info["child"]["age"]
    fees = 800 if age < 3 else 750 if age < 4 else 700 if age < 5 else 650
    start = today() + datetime.timedelta(weeks=2)
    return reply(200, {**info, "fees": fees, "start_date": start.isoformat()})


FUNCTIONS = {"checkInformation": check_information, "checkAgeRange": check_age_range,
             "checkSpotsAvailability": check_spots_availability,
             "confirmRegistration": confirm_registration}

if __name__ == "__main__":
    print(json.dumps(FUNCTIONS[sys.argv[1]](json.load(sys.stdin))))
