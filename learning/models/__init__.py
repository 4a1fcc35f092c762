"""learning's models, one module per concern; this package re-exports them for Django.

- :mod:`.pages`: CourseIndexPage, CoursePage (+ CourseSession inline), TeacherIndexPage, TeacherPage
- :mod:`.lessons`: LessonOffer with its AvailabilityWindow and BlackoutDate inlines
- :mod:`.bookings`: Booking (course seats and 1:1 lessons) and its status table
"""

from .bookings import *  # noqa: F401,F403
from .lessons import *  # noqa: F401,F403
from .pages import *  # noqa: F401,F403
