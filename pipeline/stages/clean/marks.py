"""Line marks shared by the clean stage's context passes (the main block, the headline,
comment threads): which lines are bylines or dates, which rules open a thread."""

from __future__ import annotations

from pipeline.stages.clean.density import Line

#: rule ids of the headers after which the rest of a page is readers' comments or other stories
#: ("Lire aussi" and "Read more" links, and the "Nom" / "E-mail" fields of a newsletter box, stand
#: inside articles too: not these)
THREAD_HEADERS = ("boilerplate.comment.count", "boilerplate.comment.count_in_brackets", "boilerplate.comment.leave_reply", "boilerplate.comment.laisser_reponse",
                   "boilerplate.comment.view_comments", "boilerplate.comment.email_not_published",
                   "boilerplate.comment.required_fields", "boilerplate.comment.logged_in",
                   "boilerplate.related.similaires", "boilerplate.related.meme_sujet", "boilerplate.related.popular",
                   "boilerplate.related.featured", "boilerplate.comment.count_on", "boilerplate.related.popular_other",
                   "boilerplate.related.popular_list")


def is_dated(ln: Line) -> bool:
    """A byline or date line (a live feed's bare minute or clock stamp is not one)."""
    return ln.cls == "meta" and not ln.reason.startswith("stamp")
