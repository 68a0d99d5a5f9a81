"""The staff's preview of a draft version: one home, below the holder services and the staff views alike."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from offers.models import OfferVersion

PREVIEW_SUFFIX = " (draft preview)"


def preview_version(request: HttpRequest) -> OfferVersion | None:
    """The unpublished version named by ``?preview=SLUG``, for staff; anyone else gets a 404.

    Its name is marked so the holder page shows it is a preview; the row is not saved.
    """
    slug = request.GET.get("preview")
    if slug is None:
        return None
    user = getattr(request, "user", None)
    if user is None or not (user.is_active and user.is_staff):
        raise Http404("No such page.")
    version = (OfferVersion.objects.select_related("old_notes")
               .exclude(status=OfferVersion.Status.PUBLISHED).filter(slug=slug).first())
    if version is None:
        raise Http404(f"No unpublished version has the slug {slug!r}.")
    version.name += PREVIEW_SUFFIX
    return version
