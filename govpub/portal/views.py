"""The public government website (minimal for now: home and article pages)."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404, render

from govpub.content.models import Item, ItemState
from govpub.publishing.models import Publication, PublicationStatus


@login_not_required
def home(request):
    live = (Publication.objects.filter(status=PublicationStatus.LIVE, column__isnull=False)
            .select_related("revision", "column").order_by("-live_at")[:30])
    seen, articles = set(), []
    for publication in live:
        if publication.item_id not in seen:
            seen.add(publication.item_id)
            articles.append(publication)
    return render(request, "portal/home.html", {"articles": articles})


@login_not_required
def article(request, item_id):
    item = get_object_or_404(Item.objects.select_related("live_revision", "unit"), pk=item_id)
    if item.live_revision_id is None:
        return render(request, "portal/not_found.html", status=404)
    if item.state == ItemState.WITHDRAWN:
        return render(request, "portal/withdrawn.html", {"item": item}, status=410)
    publications = (Publication.objects.filter(item=item, revision=item.live_revision, status=PublicationStatus.LIVE,
                                               column__isnull=False).select_related("column", "channel"))
    if not publications:
        return render(request, "portal/not_found.html", status=404)
    first = min(p.live_at for p in Publication.objects.filter(item=item, column__isnull=False) if p.live_at)
    revision = item.live_revision
    return render(request, "portal/article.html", {
        "item": item, "revision": revision, "publications": publications, "column": publications[0].column,
        "site": publications[0].channel, "first_published": first, "updated": publications[0].live_at,
        "attachments": revision.attachments.all(),
    })
