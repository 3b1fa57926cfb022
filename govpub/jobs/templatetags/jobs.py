from django import template

register = template.Library()


@register.inclusion_tag("jobs/_progress.html")
def job_progress(limit: int = 10):
    """The latest background jobs with their progress (for the supervision monitor page)."""
    from govpub.jobs.runner import recent_jobs

    return {"jobs": list(recent_jobs(limit))}
