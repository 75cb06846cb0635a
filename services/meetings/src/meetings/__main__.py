"""`python -m meetings`: serve the meetings service."""

from meetings.settings import MeetingsSettings
from plaza_kit.serve import serve

serve("meetings.app:create_app", "meetings", MeetingsSettings())
