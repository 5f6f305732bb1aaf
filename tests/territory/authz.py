from tests.authz import Access

CHECKERS = frozenset({"referent", "colleague", "outsider", "coordinator"})
MAP_VIEWERS = frozenset(
    {"referent", "colleague", "outsider", "coordinator", "state_copilot", "steering_member", "admin"}
)


def setup(world):
    """A finished file check owned by the referent (others get 404: the file holds the owner's people)."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from citemploi.territory.models import TagJob

    if "tag_job" in world.objects:
        return
    job = TagJob(
        owner=world.users["referent"],
        original_name="test.csv",
        status=TagJob.Status.DONE,
        expires_at=timezone.now() + timezone.timedelta(hours=1),
    )
    job.source.save("authz.csv", ContentFile(b"lon,lat\n4.39,45.44\n"), save=False)
    job.result.save("authz-qpv.csv", ContentFile(b"lon,lat,qpv_status\n4.39,45.44,out\n"), save=False)
    job.save()
    world.objects["tag_job"] = job


def _job(world):
    return {"public_id": world.objects["tag_job"].public_id}


OWNER = Access(
    allowed=frozenset({"referent"}), kwargs=_job, overrides={"colleague": 404, "outsider": 404, "coordinator": 404}
)

RULES = {
    "territory:address_check": Access(allowed=CHECKERS),
    "territory:file_check": Access(allowed=CHECKERS),
    "territory:file_job": OWNER,
    "territory:file_job_status": OWNER,
    "territory:file_job_download": OWNER,
    "territory:map": Access(allowed=MAP_VIEWERS),
    "territory:qpv_geojson": Access(allowed=MAP_VIEWERS),
}
