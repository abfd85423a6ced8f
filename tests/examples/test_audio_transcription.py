"""examples/audio-transcription: start a Transcribe job, Wait 30 s, poll its
status, loop through the Choice until COMPLETED (-> Categorize Data) or FAILED
(-> the Fail state). Every Lambda answers from MockConfigFile.json; the status
mock answers IN_PROGRESS on invocation "0" and COMPLETED/FAILED on "1-2", so
the poll loop runs twice. WAIT_TIME_SCALE=0 makes the Wait instant.
"""

import json
import unittest

import example_support as ex

EXAMPLE = "audio-transcription"
POLL = ["Wait For Transcribe", "Get Transcribe Status", "Transcribe Complete?"]


class AudioTranscription(unittest.TestCase):
    BINARY = None

    @classmethod
    def setUpClass(cls):
        ex.start_example(cls, EXAMPLE, "AudioTranscription",
                         args=["--mock-config", ex.example_path(EXAMPLE, "MockConfigFile.json")],
                         env={"WAIT_TIME_SCALE": "0"})

    @classmethod
    def tearDownClass(cls):
        ex.stop_example(cls)

    def status_answers(self, events):
        """TranscriptionJobStatus of each Get Transcribe Status result, in order."""
        out = []
        for e in events:
            if e["type"] == "TaskStateExited" and \
                    e["stateExitedEventDetails"]["name"] == "Get Transcribe Status":
                out.append(json.loads(e["stateExitedEventDetails"]["output"])
                           ["TranscriptionJobStatus"])
        return out

    def test_the_poll_loop_runs_twice_then_categorizes(self):
        d, events = ex.run(self.sfn, self.arn + "#TranscriptionCompletes", "completes",
                           ex.load_json(EXAMPLE, "input.json"), timeout=5)
        path = ex.path_taken(events)
        self.assertEqual(self.status_answers(events)[:2], ["IN_PROGRESS", "COMPLETED"],
                         "the second entry of Get Transcribe Status must answer from the "
                         "mocked response's invocation key \"1-2\" (Step Functions Local "
                         "counts invocations of a state across the execution)")
        self.assertEqual(path, ["Transcribe Audio"] + POLL + POLL + ["Categorize Data"])
        self.assertEqual(d["status"], "SUCCEEDED", d)
        self.assertEqual(json.loads(d["output"]), {
            "Bucket": "meeting-audio-7f3a2c", "Category": "important",
            "AudioKey": "important/weekly-sync.mp3",
            "TranscriptKey": "important/weekly-sync.json", "MatchedKeywords": ["important"]})
        waits = [e for e in events if e["type"] == "WaitStateEntered"]
        self.assertEqual(len(waits), 2)
        self.assertEqual(sum(e["type"] == "LambdaFunctionSucceeded" for e in events), 4)

    def test_a_failed_job_ends_in_the_fail_state(self):
        d, events = ex.run(self.sfn, self.arn + "#TranscriptionFails", "fails",
                           ex.load_json(EXAMPLE, "input.json"), timeout=5)
        self.assertEqual(self.status_answers(events)[:2], ["IN_PROGRESS", "FAILED"],
                         "the second entry of Get Transcribe Status answers from key \"1-2\"")
        self.assertEqual(ex.path_taken(events),
                         ["Transcribe Audio"] + POLL + POLL + ["Transcribe Failed"])
        self.assertEqual(d["status"], "FAILED", d)
        self.assertEqual((d["error"], d["cause"]),
                         ("TranscribeJobFailed", "The Transcribe job reported FAILED"))
        self.assertEqual(events[-1]["type"], "ExecutionFailed")


if __name__ == "__main__":
    ex.main(AudioTranscription)
