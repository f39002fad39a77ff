/* psp.h compiles as C11 under -Wall -Wextra -pedantic -Werror, and its _INIT macros initialise
 * every field without warnings. */
#include "psp/psp.h"

#include <stdio.h>

int main(void) {
    psp_actor actor = PSP_ACTOR_INIT;
    psp_open_options options = PSP_OPEN_OPTIONS_INIT;
    psp_counts counts = PSP_COUNTS_INIT;
    psp_district district = PSP_DISTRICT_INIT;
    psp_zone zone = PSP_ZONE_INIT;
    psp_platform platform = PSP_PLATFORM_INIT;
    psp_alliance alliance = PSP_ALLIANCE_INIT;
    psp_equipment_class equipment_class = PSP_EQUIPMENT_CLASS_INIT;
    psp_equipment equipment = PSP_EQUIPMENT_INIT;
    psp_enterprise enterprise = PSP_ENTERPRISE_INIT;
    psp_travel travel = PSP_TRAVEL_INIT;
    psp_zone_service zone_service = PSP_ZONE_SERVICE_INIT;
    psp_link link = PSP_LINK_INIT;
    psp_reachable reachable = PSP_REACHABLE_INIT;
    psp_coverage_row row = PSP_COVERAGE_ROW_INIT;
    psp_coverage_gap gap = PSP_COVERAGE_GAP_INIT;
    psp_duplication duplication = PSP_DUPLICATION_INIT;
    psp_journal_query query = PSP_JOURNAL_QUERY_INIT;
    psp_journal_entry entry = PSP_JOURNAL_ENTRY_INIT;
    psp_city_params params = PSP_CITY_PARAMS_INIT;
    psp_booking booking = PSP_BOOKING_INIT;
    psp_booking_outcome outcome = PSP_BOOKING_OUTCOME_INIT;
    psp_recurrence recurrence = PSP_RECURRENCE_INIT;
    psp_waitlist_entry waiting = PSP_WAITLIST_ENTRY_INIT;
    psp_tariff tariff = PSP_TARIFF_INIT;
    psp_price price = PSP_PRICE_INIT;
    psp_platform_voucher_total total = PSP_PLATFORM_VOUCHER_TOTAL_INIT;
    psp_booking_request request = PSP_BOOKING_REQUEST_INIT; /* version 2 */
    psp_service_request service_request = PSP_SERVICE_REQUEST_INIT;
    psp_routing_policy policy = PSP_ROUTING_POLICY_INIT;
    psp_offer offer = PSP_OFFER_INIT;
    psp_served_request served = PSP_SERVED_REQUEST_INIT;
    psp_service_capacity capacity = PSP_SERVICE_CAPACITY_INIT;
    psp_purchase_proposal proposal = PSP_PURCHASE_PROPOSAL_INIT;
    psp_review_thresholds thresholds = PSP_REVIEW_THRESHOLDS_INIT;
    psp_rollout_request rollout = PSP_ROLLOUT_REQUEST_INIT;
    unsigned sum = actor.version + options.version + counts.version + district.version + zone.version +
                   platform.version + alliance.version + equipment_class.version + equipment.version +
                   enterprise.version + travel.version + zone_service.version + link.version +
                   reachable.version + row.version + gap.version + duplication.version + query.version +
                   entry.version + params.version + booking.version + outcome.version + recurrence.version +
                   waiting.version + tariff.version + price.version + total.version + service_request.version +
                   policy.version + offer.version + served.version + capacity.version + proposal.version +
                   thresholds.version + rollout.version;
    printf("psp.h %d: %u structs of version 1\n", PSP_VERSION_NUMBER, sum);
    return sum == 36u && waiting.version == 2u && waiting.voucher_scheme == 0 && policy.open_tiers == PSP_ROUTE_TIERS_ALL && request.version == 2u && request.voucher_scheme == 0 && PSP_SERVICE_BIT(PSP_SERVICE_ADMINISTRATIVE_APPROVAL) < PSP_SERVICES_ALL ? 0 : 1;
}
