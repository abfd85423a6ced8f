"""examples/daycare-registration: four lambda:invoke Tasks (local handlers)
each followed by a Choice on the returned statusCode; 400 ends in a Fail
state, 200 goes on to the next check and finally Registration Confirmed.
DAYCARE_TODAY pins "today" so the age, fees and start date are fixed.
"""

import json
import unittest

import example_support as ex

EXAMPLE = "daycare-registration"
CHECKS = ["Check Information", "Information Complete?", "Check Age Range", "Age Valid?",
          "Check Spots Availability", "Spots Available?", "Confirm Registration"]


class DaycareRegistration(unittest.TestCase):
    BINARY = None

    @classmethod
    def setUpClass(cls):
        ex.start_example(cls, EXAMPLE, "DaycareRegistration",
                         args=["--handlers", ex.example_path(EXAMPLE, "handlers.json")],
                         env={"DAYCARE_TODAY": "2025-09-01"})

    @classmethod
    def tearDownClass(cls):
        ex.stop_example(cls)

    def test_a_three_year_old_is_registered(self):
        payload = ex.load_json(EXAMPLE, "input.json")
        d, events = ex.run(self.sfn, self.arn, "success", payload)
        self.assertEqual(d["status"], "SUCCEEDED", d)
        self.assertEqual(ex.path_taken(events), CHECKS + ["Registration Confirmed"])
        out = json.loads(d["output"])
        self.assertEqual(out["statusCode"], 200)
        body = json.loads(out["body"])
        self.assertEqual(body["child"]["age"], 3)
        self.assertEqual((body["fees"], body["start_date"]), (750, "2025-09-15"))
        self.assertEqual(body["parents"], payload["registration_info"]["parents"])
        invoked = [e["lambdaFunctionScheduledEventDetails"] for e in events
                   if e["type"] == "LambdaFunctionScheduled"]
        self.assertEqual(invoked, [])  # lambda:invoke is a service integration, not legacy
        scheduled = [e["taskScheduledEventDetails"] for e in events if e["type"] == "TaskScheduled"]
        self.assertEqual([json.loads(s["parameters"])["FunctionName"].split(":")[6]
                          for s in scheduled],
                         ["checkInformation", "checkAgeRange", "checkSpotsAvailability",
                          "confirmRegistration"])

    def test_the_tutorials_nine_year_old_fails_the_age_check(self):
        d, events = ex.run(self.sfn, self.arn, "too-old", ex.load_json(EXAMPLE, "input-too-old.json"))
        self.assertEqual(d["status"], "FAILED", d)
        self.assertEqual((d["error"], d["cause"]), (
            "AgeInvalid", "The child is not within the acceptable age range for this daycare."))
        self.assertEqual(ex.path_taken(events), CHECKS[:4] + ["Age Invalid"])
        exited = [e["stateExitedEventDetails"] for e in events if e["type"] == "TaskStateExited"]
        self.assertEqual(json.loads(exited[-1]["output"])["statusCode"], 400)

    def test_a_form_without_days_fails_the_information_check(self):
        d, events = ex.run(self.sfn, self.arn, "incomplete",
                           ex.load_json(EXAMPLE, "input-incomplete.json"))
        self.assertEqual(d["status"], "FAILED", d)
        self.assertEqual(d["error"], "InformationIncomplete")
        self.assertEqual(ex.path_taken(events), CHECKS[:2] + ["Information Incomplete"])
        exited = [e["stateExitedEventDetails"] for e in events if e["type"] == "TaskStateExited"]
        self.assertEqual(json.loads(exited[0]["output"]),
                         {"statusCode": 400, "body": "Missing required field: daysOfWeek"})


if __name__ == "__main__":
    ex.main(DaycareRegistration)
