"""Extend TapStack: a second table and function, served under /items by the same API.

Run from the repository root: python examples/items_api.py > templates/ItemsStack.yml
(the function's code path is relative to templates/, like TapStack's).
"""

from __future__ import annotations

import sys

from troposphere import Export, Output, Sub, Template

import tapgen
from tapgen import Naming, StackConfig


def build(config: StackConfig | None = None) -> Template:
    """TapStack plus an Items table and function behind the same API under /items."""
    config = config or StackConfig()
    template = tapgen.new_template("TapStack with a second collection, /items")
    stack = tapgen.add_tapstack(template, config)

    items = Naming("Items")  # ItemsDataTable, <project>-<env>-items-data, ...
    data = tapgen.add_data(template, config, params=stack.params, encryption=stack.encryption, naming=items)
    role_arn = tapgen.add_function_role(template, data=data, encryption=stack.encryption, naming=items)
    # The API's own alarms exist once, with TapStack; these watch the new function.
    alarms = tapgen.add_alarms(template, config, params=stack.params, api=None, naming=items)
    tapgen.add_function(
        template,
        config,
        params=stack.params,
        data=data,
        role_arn=role_arn,
        api=stack.api,
        alarms=alarms,
        encryption=stack.encryption,
        naming=items,
        base_path="/items",
    )
    template.add_output(
        Output(
            "ItemsTableName",
            Description="Name of the items table",
            Value=data.name,
            Export=Export(Sub("${AWS::StackName}-ItemsTableName")),
        )
    )
    return template


if __name__ == "__main__":
    sys.stdout.write(tapgen.render_template(build()))
