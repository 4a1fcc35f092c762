"""learning's models, re-exported for Django's app registry and for other apps.

- :mod:`.courses`: CourseIndexPage, CoursePage (+ CourseSession inline)
- :mod:`.teachers`: TeacherIndexPage, TeacherPage
- :mod:`.lessons`: LessonOffer with its AvailabilityWindow and BlackoutDate inlines
- :mod:`.bookings`: Booking (course seats and 1:1 lessons) and its status table

Modules inside ``learning`` import from these modules, never from this package, so no import
cycle can pass through it.
"""

from .bookings import *  # noqa: F403
from .courses import *  # noqa: F403
from .lessons import *  # noqa: F403
from .teachers import *  # noqa: F403
