"""Petit Four's journal: the blog index and its posts."""

import datetime

from demo.helpers import block, child, h2, image, img_value, link, rich
from home.models import BlogIndexPage, BlogPage

#: Blog authors who have a teacher page: demo.learning links their posts to it.
TEACHER_AUTHORS = {"Camille Roux", "Hugo Bernard", "Amara Diallo"}


def build_blog(home, contact, about):
    """Create (once) the journal and its posts under ``home``; returns the blog index page."""
    # -- blog -----------------------------------------------------------------------------------
    blog, _ = child(
        home,
        BlogIndexPage,
        "journal",
        title="Journal",
        show_in_menus=True,
        intro=rich("Recipes, news from the kitchen and the stories behind our pastries."),
        search_description="Recipes and news from the Petit Four kitchen.",
    )
    posts = [
        (
            "the-secret-of-a-good-macaron-shell",
            "The secret of a good macaron shell",
            datetime.date(2026, 10, 28),
            "Camille Roux",
            ["macarons", "techniques"],
            "Macaron tower",
            "Smooth tops, ruffled feet, no hollows: three things we learnt after ten thousand batches.",
            [
                block(
                    "paragraph",
                    rich("The shell is where most home bakers give up. It is not magic, it is three habits."),
                ),
                h2("1. Age your egg whites"),
                block(
                    "paragraph",
                    rich(
                        "Separate the eggs two days ahead and keep the whites covered in the fridge. "
                        "They lose water and whip into a steadier meringue."
                    ),
                ),
                h2("2. Macaronage is a feeling"),
                block(
                    "paragraph",
                    rich(
                        "Fold until the batter falls from the spatula like a ribbon and the ribbon "
                        "disappears in about 20 seconds."
                    ),
                ),
                h2("3. Let them rest"),
                block("paragraph", rich("Leave the piped shells for 30 minutes until a skin forms: no skin, no feet.")),
                block(
                    "quote",
                    {
                        "quote": "Patience is the most expensive ingredient, and the only one we never run out of.",
                        "attribution": "Camille",
                    },
                ),
            ],
        ),
        (
            "autumn-menu",
            "Our autumn menu is here",
            datetime.date(2026, 10, 10),
            "Julien Marchand",
            ["seasonal", "news"],
            "Berry tart",
            "Fig and walnut tarts, chestnut macarons and the return of the pear Charlotte.",
            [
                block(
                    "paragraph",
                    rich(
                        "The last raspberries are gone, the first chestnuts are in. From this week the "
                        "counter changes colour."
                    ),
                ),
                block(
                    "gallery",
                    {
                        "heading": "",
                        "images": [
                            img_value("Berry tart", "Fig and walnut tart"),
                            img_value("Butter macarons", "Chestnut and honey"),
                        ],
                    },
                ),
            ],
        ),
        (
            "a-morning-in-the-kitchen",
            "A morning in the kitchen",
            datetime.date(2026, 9, 18),
            "Camille Roux",
            ["behind the scenes"],
            "Croissants and coffee",
            "From 4:30 to opening time: what happens behind the counter before you arrive.",
            [
                block(
                    "paragraph",
                    rich(
                        "At 4:30 the ovens go on. By 6:00 the croissants are laminated, by 7:00 the "
                        "tarts are filled, and at 8:00 the first customer is usually waiting."
                    ),
                ),
                block("image", img_value("Croissants and coffee", "The first batch of the day")),
            ],
        ),
        (
            "why-take-a-baking-class",
            "Why take a baking class?",
            datetime.date(2026, 9, 2),
            "Inès Haddad",
            ["classes", "techniques"],
            "Baking class",
            "Recipes online are free. So why spend an afternoon in our kitchen? Our teachers answer.",
            [
                block(
                    "paragraph",
                    rich(
                        "A recipe tells you what to do. A teacher shows you what it should look like, "
                        "feel like and sound like — the things no recipe can write down."
                    ),
                ),
                block(
                    "call_to_action",
                    {
                        "heading": "Come and bake with us",
                        "text": "Classes for beginners and confirmed bakers, in groups of eight.",
                        "link": link(contact, label="Ask about classes"),
                        "style": "pistachio",
                    },
                ),
            ],
        ),
        (
            "wedding-season-recap",
            "Wedding season, in pictures",
            datetime.date(2026, 8, 21),
            "Julien Marchand",
            ["weddings", "behind the scenes"],
            "Rose wedding cake",
            "Thirty-one cakes, four macaron towers and one very hot afternoon in August.",
            [
                block("paragraph", rich("Thank you to every couple who trusted us this summer.")),
                block(
                    "gallery",
                    {
                        "heading": "",
                        "images": [
                            img_value("Rose wedding cake"),
                            img_value("Wedding cake"),
                            img_value("Macaron tower"),
                        ],
                    },
                ),
            ],
        ),
    ]
    for slug, title, date, author, tags, lead, intro, body in posts:
        child(
            blog,
            BlogPage,
            slug,
            title=title,
            date=date,
            author=author,
            # Teachers' posts get their teacher page (demo.learning); the others the team's page.
            author_page=None if author in TEACHER_AUTHORS else about,
            tags=tags,
            lead_image=image(lead),
            intro=intro,
            search_description=intro,
            body=body,
        )
    return blog
