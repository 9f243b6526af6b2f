"""The Environment and Project tags every taggable resource carries."""

from __future__ import annotations

from troposphere import Ref, Tags

from tapgen import names


def tag_values() -> dict[str, Ref]:
    """Tag keys to values, for SAM resources, which take tags as a map."""
    return {"Environment": Ref(names.ENVIRONMENT_SUFFIX), "Project": Ref(names.PROJECT_NAME)}


def resource_tags() -> Tags:
    """The same tags as a CloudFormation tag list."""
    return Tags(tag_values())
