"""The cooperation app's models, a module a kind of record (Django's models package): every
model is imported here, so ``from cooperation.models import Agreement`` works and Django and the
migrations find them all."""

# In the order of the old single module: apps.get_models(), and so the backup and the history
# pages, list the models in the order they are registered.
# isort: off
from cooperation.models.topics import Topic
from cooperation.models.sources import AttachedQuerySet, Citation, Claim, Source
from cooperation.models.agreements import Agreement, AgreementQuerySet, AgreementStage
from cooperation.models.actions import AgreementAction
from cooperation.models.projects import Project, ProjectPartner, ProjectQuerySet
from cooperation.models.money_totals import PartnerMoneyTotal, ProjectMoneyTotal
from cooperation.models.money import Budget, BudgetKind, BudgetStatus, TransactionKind, TransactionTotal
from cooperation.models.search import SearchDocument
from cooperation.models.iati import IatiActivity, IatiTopicMapping
from cooperation.models.tallies import LinkTally, YearTally
from cooperation.models.places import Place, PlaceKind
from cooperation.models.counts import (
    AgreementCount,
    AgreementPartnerCount,
    AgreementPartnerPlaceTotal,
    AgreementPartnerPlaceYear,
    AgreementPartnerTotal,
    AgreementPlacePair,
    AgreementPlaceYear,
    AgreementPlaceYearPair,
    AgreementStageYears,
    AgreementPlaceTotal,
    AgreementTopicCount,
    AgreementTopicPartnerCount,
    AgreementTopicTotal,
    ProjectCount,
    ProjectPartnerCount,
    ProjectPartnerPair,
    ProjectPartnerTotal,
    ProjectTopicCount,
    ProjectTopicPartnerCount,
    ProjectTopicTotal,
)

# isort: on

__all__ = [
    "Agreement",
    "AgreementAction",
    "AgreementCount",
    "AgreementPartnerCount",
    "AgreementPartnerPlaceTotal",
    "AgreementPartnerPlaceYear",
    "AgreementPartnerTotal",
    "AgreementPlacePair",
    "AgreementPlaceYear",
    "AgreementPlaceYearPair",
    "AgreementStageYears",
    "AgreementPlaceTotal",
    "AgreementQuerySet",
    "AgreementStage",
    "AgreementTopicCount",
    "AgreementTopicPartnerCount",
    "AgreementTopicTotal",
    "AttachedQuerySet",
    "Budget",
    "BudgetKind",
    "BudgetStatus",
    "Citation",
    "Claim",
    "IatiActivity",
    "IatiTopicMapping",
    "PartnerMoneyTotal",
    "Place",
    "PlaceKind",
    "Project",
    "ProjectCount",
    "ProjectMoneyTotal",
    "ProjectPartner",
    "ProjectPartnerCount",
    "ProjectPartnerPair",
    "ProjectPartnerTotal",
    "ProjectTopicCount",
    "ProjectTopicPartnerCount",
    "ProjectTopicTotal",
    "ProjectQuerySet",
    "SearchDocument",
    "Source",
    "Topic",
    "TransactionKind",
    "TransactionTotal",
    "LinkTally",
    "YearTally",
]
