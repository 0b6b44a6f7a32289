"""The read-only JSON API at ``/api/``: every public list and record, with the list pages'
filters, sorts and page size, published records only (Django REST framework + drf-spectacular).

- ``query``: strict query parameters. The pages' FilterSets run unchanged; what a page would
  ignore with a notice is a 400 here, naming each bad parameter.
- ``filters``: FilterSets and sorts of the lists that have no page of their own (people,
  topics, sources).
- ``serializers``: the JSON of each record, on ``fields`` (how values are written, the base
  serializer) and ``summaries`` (related records, citations and claims, partners' roles).
- ``views``, ``urls``: the endpoints, the OpenAPI document and its documentation pages.
"""
