// Name tables of TS 38.413: procedures, messages, IE ids (V17.1.1 NGAP-Constants and
// NGAP-PDU-Descriptions; Rel-18 procedure codes 76..80 by name only). Ref: TS 38.413 9.4.3, 9.4.7.
#include <cstddef>
#include <cstdint>

#include "sec5g/ngap/ngap.hpp"

namespace sec5g::ngap {
namespace {

struct procedure_row {
  const char* name;
  const char* initiating;
  const char* successful;
  const char* unsuccessful;
  criticality crit;
};

// Indexed by procedure code (0..80; 66..75 from V17.1.1, 76..80 Rel-18 names only).
constexpr procedure_row procedures[] = {
    {"AMFConfigurationUpdate", "AMFConfigurationUpdate", "AMFConfigurationUpdateAcknowledge", "AMFConfigurationUpdateFailure", criticality::reject},
    {"AMFStatusIndication", "AMFStatusIndication", nullptr, nullptr, criticality::ignore},
    {"CellTrafficTrace", "CellTrafficTrace", nullptr, nullptr, criticality::ignore},
    {"DeactivateTrace", "DeactivateTrace", nullptr, nullptr, criticality::ignore},
    {"DownlinkNASTransport", "DownlinkNASTransport", nullptr, nullptr, criticality::ignore},
    {"DownlinkNonUEAssociatedNRPPaTransport", "DownlinkNonUEAssociatedNRPPaTransport", nullptr, nullptr, criticality::ignore},
    {"DownlinkRANConfigurationTransfer", "DownlinkRANConfigurationTransfer", nullptr, nullptr, criticality::ignore},
    {"DownlinkRANStatusTransfer", "DownlinkRANStatusTransfer", nullptr, nullptr, criticality::ignore},
    {"DownlinkUEAssociatedNRPPaTransport", "DownlinkUEAssociatedNRPPaTransport", nullptr, nullptr, criticality::ignore},
    {"ErrorIndication", "ErrorIndication", nullptr, nullptr, criticality::ignore},
    {"HandoverCancel", "HandoverCancel", "HandoverCancelAcknowledge", nullptr, criticality::reject},
    {"HandoverNotification", "HandoverNotify", nullptr, nullptr, criticality::ignore},
    {"HandoverPreparation", "HandoverRequired", "HandoverCommand", "HandoverPreparationFailure", criticality::reject},
    {"HandoverResourceAllocation", "HandoverRequest", "HandoverRequestAcknowledge", "HandoverFailure", criticality::reject},
    {"InitialContextSetup", "InitialContextSetupRequest", "InitialContextSetupResponse", "InitialContextSetupFailure", criticality::reject},
    {"InitialUEMessage", "InitialUEMessage", nullptr, nullptr, criticality::ignore},
    {"LocationReportingControl", "LocationReportingControl", nullptr, nullptr, criticality::ignore},
    {"LocationReportingFailureIndication", "LocationReportingFailureIndication", nullptr, nullptr, criticality::ignore},
    {"LocationReport", "LocationReport", nullptr, nullptr, criticality::ignore},
    {"NASNonDeliveryIndication", "NASNonDeliveryIndication", nullptr, nullptr, criticality::ignore},
    {"NGReset", "NGReset", "NGResetAcknowledge", nullptr, criticality::reject},
    {"NGSetup", "NGSetupRequest", "NGSetupResponse", "NGSetupFailure", criticality::reject},
    {"OverloadStart", "OverloadStart", nullptr, nullptr, criticality::ignore},
    {"OverloadStop", "OverloadStop", nullptr, nullptr, criticality::reject},
    {"Paging", "Paging", nullptr, nullptr, criticality::ignore},
    {"PathSwitchRequest", "PathSwitchRequest", "PathSwitchRequestAcknowledge", "PathSwitchRequestFailure", criticality::reject},
    {"PDUSessionResourceModify", "PDUSessionResourceModifyRequest", "PDUSessionResourceModifyResponse", nullptr, criticality::reject},
    {"PDUSessionResourceModifyIndication", "PDUSessionResourceModifyIndication", "PDUSessionResourceModifyConfirm", nullptr, criticality::reject},
    {"PDUSessionResourceRelease", "PDUSessionResourceReleaseCommand", "PDUSessionResourceReleaseResponse", nullptr, criticality::reject},
    {"PDUSessionResourceSetup", "PDUSessionResourceSetupRequest", "PDUSessionResourceSetupResponse", nullptr, criticality::reject},
    {"PDUSessionResourceNotify", "PDUSessionResourceNotify", nullptr, nullptr, criticality::ignore},
    {"PrivateMessage", "PrivateMessage", nullptr, nullptr, criticality::ignore},
    {"PWSCancel", "PWSCancelRequest", "PWSCancelResponse", nullptr, criticality::reject},
    {"PWSFailureIndication", "PWSFailureIndication", nullptr, nullptr, criticality::ignore},
    {"PWSRestartIndication", "PWSRestartIndication", nullptr, nullptr, criticality::ignore},
    {"RANConfigurationUpdate", "RANConfigurationUpdate", "RANConfigurationUpdateAcknowledge", "RANConfigurationUpdateFailure", criticality::reject},
    {"RerouteNASRequest", "RerouteNASRequest", nullptr, nullptr, criticality::reject},
    {"RRCInactiveTransitionReport", "RRCInactiveTransitionReport", nullptr, nullptr, criticality::ignore},
    {"TraceFailureIndication", "TraceFailureIndication", nullptr, nullptr, criticality::ignore},
    {"TraceStart", "TraceStart", nullptr, nullptr, criticality::ignore},
    {"UEContextModification", "UEContextModificationRequest", "UEContextModificationResponse", "UEContextModificationFailure", criticality::reject},
    {"UEContextRelease", "UEContextReleaseCommand", "UEContextReleaseComplete", nullptr, criticality::reject},
    {"UEContextReleaseRequest", "UEContextReleaseRequest", nullptr, nullptr, criticality::ignore},
    {"UERadioCapabilityCheck", "UERadioCapabilityCheckRequest", "UERadioCapabilityCheckResponse", nullptr, criticality::reject},
    {"UERadioCapabilityInfoIndication", "UERadioCapabilityInfoIndication", nullptr, nullptr, criticality::ignore},
    {"UETNLABindingRelease", "UETNLABindingReleaseRequest", nullptr, nullptr, criticality::ignore},
    {"UplinkNASTransport", "UplinkNASTransport", nullptr, nullptr, criticality::ignore},
    {"UplinkNonUEAssociatedNRPPaTransport", "UplinkNonUEAssociatedNRPPaTransport", nullptr, nullptr, criticality::ignore},
    {"UplinkRANConfigurationTransfer", "UplinkRANConfigurationTransfer", nullptr, nullptr, criticality::ignore},
    {"UplinkRANStatusTransfer", "UplinkRANStatusTransfer", nullptr, nullptr, criticality::ignore},
    {"UplinkUEAssociatedNRPPaTransport", "UplinkUEAssociatedNRPPaTransport", nullptr, nullptr, criticality::ignore},
    {"WriteReplaceWarning", "WriteReplaceWarningRequest", "WriteReplaceWarningResponse", nullptr, criticality::reject},
    {"SecondaryRATDataUsageReport", "SecondaryRATDataUsageReport", nullptr, nullptr, criticality::ignore},
    {"UplinkRIMInformationTransfer", "UplinkRIMInformationTransfer", nullptr, nullptr, criticality::ignore},
    {"DownlinkRIMInformationTransfer", "DownlinkRIMInformationTransfer", nullptr, nullptr, criticality::ignore},
    {"RetrieveUEInformation", "RetrieveUEInformation", nullptr, nullptr, criticality::reject},
    {"UEInformationTransfer", "UEInformationTransfer", nullptr, nullptr, criticality::reject},
    {"RANCPRelocationIndication", "RANCPRelocationIndication", nullptr, nullptr, criticality::reject},
    {"UEContextResume", "UEContextResumeRequest", "UEContextResumeResponse", "UEContextResumeFailure", criticality::reject},
    {"UEContextSuspend", "UEContextSuspendRequest", "UEContextSuspendResponse", "UEContextSuspendFailure", criticality::reject},
    {"UERadioCapabilityIDMapping", "UERadioCapabilityIDMappingRequest", "UERadioCapabilityIDMappingResponse", nullptr, criticality::reject},
    {"HandoverSuccess", "HandoverSuccess", nullptr, nullptr, criticality::ignore},
    {"UplinkRANEarlyStatusTransfer", "UplinkRANEarlyStatusTransfer", nullptr, nullptr, criticality::reject},
    {"DownlinkRANEarlyStatusTransfer", "DownlinkRANEarlyStatusTransfer", nullptr, nullptr, criticality::ignore},
    {"AMFCPRelocationIndication", "AMFCPRelocationIndication", nullptr, nullptr, criticality::reject},
    {"ConnectionEstablishmentIndication", "ConnectionEstablishmentIndication", nullptr, nullptr, criticality::reject},
    // TS 38.413 V17.1.1
    {"BroadcastSessionModification", "BroadcastSessionModificationRequest", "BroadcastSessionModificationResponse", "BroadcastSessionModificationFailure", criticality::reject},
    {"BroadcastSessionRelease", "BroadcastSessionReleaseRequest", "BroadcastSessionReleaseResponse", nullptr, criticality::reject},
    {"BroadcastSessionSetup", "BroadcastSessionSetupRequest", "BroadcastSessionSetupResponse", "BroadcastSessionSetupFailure", criticality::reject},
    {"DistributionSetup", "DistributionSetupRequest", "DistributionSetupResponse", "DistributionSetupFailure", criticality::reject},
    {"DistributionRelease", "DistributionReleaseRequest", "DistributionReleaseResponse", nullptr, criticality::reject},
    {"MulticastSessionActivation", "MulticastSessionActivationRequest", "MulticastSessionActivationResponse", "MulticastSessionActivationFailure", criticality::reject},
    {"MulticastSessionDeactivation", "MulticastSessionDeactivationRequest", "MulticastSessionDeactivationResponse", nullptr, criticality::reject},
    {"MulticastSessionUpdate", "MulticastSessionUpdateRequest", "MulticastSessionUpdateResponse", "MulticastSessionUpdateFailure", criticality::reject},
    {"MulticastGroupPaging", "MulticastGroupPaging", nullptr, nullptr, criticality::ignore},
    {"BroadcastSessionReleaseRequired", "BroadcastSessionReleaseRequired", nullptr, nullptr, criticality::reject},
    // Rel-18 (V18): procedure names only; their messages are not in the tables yet.
    {"TimingSynchronisationStatus", nullptr, nullptr, nullptr, criticality::ignore},
    {"TimingSynchronisationStatusReport", nullptr, nullptr, nullptr, criticality::ignore},
    {"MTCommunicationHandling", nullptr, nullptr, nullptr, criticality::ignore},
    {"RANPagingRequest", nullptr, nullptr, nullptr, criticality::ignore},
    {"BroadcastSessionTransport", nullptr, nullptr, nullptr, criticality::ignore},
};

// Indexed by protocol IE id (0..359).
constexpr const char* ie_names[] = {
    "AllowedNSSAI", "AMFName", "AMFOverloadResponse", "AMFSetID",
    "AMF-TNLAssociationFailedToSetupList", "AMF-TNLAssociationSetupList", "AMF-TNLAssociationToAddList", "AMF-TNLAssociationToRemoveList",
    "AMF-TNLAssociationToUpdateList", "AMFTrafficLoadReductionIndication", "AMF-UE-NGAP-ID", "AssistanceDataForPaging",
    "BroadcastCancelledAreaList", "BroadcastCompletedAreaList", "CancelAllWarningMessages", "Cause",
    "CellIDListForRestart", "ConcurrentWarningMessageInd", "CoreNetworkAssistanceInformationForInactive", "CriticalityDiagnostics",
    "DataCodingScheme", "DefaultPagingDRX", "DirectForwardingPathAvailability", "EmergencyAreaIDListForRestart",
    "EmergencyFallbackIndicator", "EUTRA-CGI", "FiveG-S-TMSI", "GlobalRANNodeID",
    "GUAMI", "HandoverType", "IMSVoiceSupportIndicator", "IndexToRFSP",
    "InfoOnRecommendedCellsAndRANNodesForPaging", "LocationReportingRequestType", "MaskedIMEISV", "MessageIdentifier",
    "MobilityRestrictionList", "NASC", "NAS-PDU", "NASSecurityParametersFromNGRAN",
    "NewAMF-UE-NGAP-ID", "NewSecurityContextInd", "NGAP-Message", "NGRAN-CGI",
    "NGRANTraceID", "NR-CGI", "NRPPa-PDU", "NumberOfBroadcastsRequested",
    "OldAMF", "OverloadStartNSSAIList", "PagingDRX", "PagingOrigin",
    "PagingPriority", "PDUSessionResourceAdmittedList", "PDUSessionResourceFailedToModifyListModRes", "PDUSessionResourceFailedToSetupListCxtRes",
    "PDUSessionResourceFailedToSetupListHOAck", "PDUSessionResourceFailedToSetupListPSReq", "PDUSessionResourceFailedToSetupListSURes", "PDUSessionResourceHandoverList",
    "PDUSessionResourceListCxtRelCpl", "PDUSessionResourceListHORqd", "PDUSessionResourceModifyListModCfm", "PDUSessionResourceModifyListModInd",
    "PDUSessionResourceModifyListModReq", "PDUSessionResourceModifyListModRes", "PDUSessionResourceNotifyList", "PDUSessionResourceReleasedListNot",
    "PDUSessionResourceReleasedListPSAck", "PDUSessionResourceReleasedListPSFail", "PDUSessionResourceReleasedListRelRes", "PDUSessionResourceSetupListCxtReq",
    "PDUSessionResourceSetupListCxtRes", "PDUSessionResourceSetupListHOReq", "PDUSessionResourceSetupListSUReq", "PDUSessionResourceSetupListSURes",
    "PDUSessionResourceToBeSwitchedDLList", "PDUSessionResourceSwitchedList", "PDUSessionResourceToReleaseListHOCmd", "PDUSessionResourceToReleaseListRelCmd",
    "PLMNSupportList", "PWSFailedCellIDList", "RANNodeName", "RANPagingPriority",
    "RANStatusTransfer-TransparentContainer", "RAN-UE-NGAP-ID", "RelativeAMFCapacity", "RepetitionPeriod",
    "ResetType", "RoutingID", "RRCEstablishmentCause", "RRCInactiveTransitionReportRequest",
    "RRCState", "SecurityContext", "SecurityKey", "SerialNumber",
    "ServedGUAMIList", "SliceSupportList", "SONConfigurationTransferDL", "SONConfigurationTransferUL",
    "SourceAMF-UE-NGAP-ID", "SourceToTarget-TransparentContainer", "SupportedTAList", "TAIListForPaging",
    "TAIListForRestart", "TargetID", "TargetToSource-TransparentContainer", "TimeToWait",
    "TraceActivation", "TraceCollectionEntityIPAddress", "UEAggregateMaximumBitRate", "UE-associatedLogicalNG-connectionList",
    "UEContextRequest", "unknown", "UE-NGAP-IDs", "UEPagingIdentity",
    "UEPresenceInAreaOfInterestList", "UERadioCapability", "UERadioCapabilityForPaging", "UESecurityCapabilities",
    "UnavailableGUAMIList", "UserLocationInformation", "WarningAreaList", "WarningMessageContents",
    "WarningSecurityInfo", "WarningType", "AdditionalUL-NGU-UP-TNLInformation", "DataForwardingNotPossible",
    "DL-NGU-UP-TNLInformation", "NetworkInstance", "PDUSessionAggregateMaximumBitRate", "PDUSessionResourceFailedToModifyListModCfm",
    "PDUSessionResourceFailedToSetupListCxtFail", "PDUSessionResourceListCxtRelReq", "PDUSessionType", "QosFlowAddOrModifyRequestList",
    "QosFlowSetupRequestList", "QosFlowToReleaseList", "SecurityIndication", "UL-NGU-UP-TNLInformation",
    "UL-NGU-UP-TNLModifyList", "WarningAreaCoordinates", "PDUSessionResourceSecondaryRATUsageList", "HandoverFlag",
    "SecondaryRATUsageInformation", "PDUSessionResourceReleaseResponseTransfer", "RedirectionVoiceFallback", "UERetentionInformation",
    "S-NSSAI", "PSCellInformation", "LastEUTRAN-PLMNIdentity", "MaximumIntegrityProtectedDataRate-DL",
    "AdditionalDLForwardingUPTNLInformation", "AdditionalDLUPTNLInformationForHOList", "AdditionalNGU-UP-TNLInformation", "AdditionalDLQosFlowPerTNLInformation",
    "SecurityResult", "ENDC-SONConfigurationTransferDL", "ENDC-SONConfigurationTransferUL", "OldAssociatedQosFlowList-ULendmarkerexpected",
    "CNTypeRestrictionsForEquivalent", "CNTypeRestrictionsForServing", "NewGUAMI", "ULForwarding",
    "ULForwardingUP-TNLInformation", "CNAssistedRANTuning", "CommonNetworkInstance", "NGRAN-TNLAssociationToRemoveList",
    "TNLAssociationTransportLayerAddressNGRAN", "EndpointIPAddressAndPort", "LocationReportingAdditionalInfo", "SourceToTarget-AMFInformationReroute",
    "AdditionalULForwardingUPTNLInformation", "SCTP-TLAs", "SelectedPLMNIdentity", "RIMInformationTransfer",
    "GUAMIType", "SRVCCOperationPossible", "TargetRNC-ID", "RAT-Information",
    "ExtendedRATRestrictionInformation", "QosMonitoringRequest", "SgNB-UE-X2AP-ID", "AdditionalRedundantDL-NGU-UP-TNLInformation",
    "AdditionalRedundantDLQosFlowPerTNLInformation", "AdditionalRedundantNGU-UP-TNLInformation", "AdditionalRedundantUL-NGU-UP-TNLInformation", "CNPacketDelayBudgetDL",
    "CNPacketDelayBudgetUL", "ExtendedPacketDelayBudget", "RedundantCommonNetworkInstance", "RedundantDL-NGU-TNLInformationReused",
    "RedundantDL-NGU-UP-TNLInformation", "RedundantDLQosFlowPerTNLInformation", "RedundantQosFlowIndicator", "RedundantUL-NGU-UP-TNLInformation",
    "TSCTrafficCharacteristics", "RedundantPDUSessionInformation", "UsedRSNInformation", "IAB-Authorized",
    "IAB-Supported", "IABNodeIndication", "NB-IoT-PagingDRX", "NB-IoT-Paging-eDRXInfo",
    "NB-IoT-DefaultPagingDRX", "Enhanced-CoverageRestriction", "Extended-ConnectedTime", "PagingAssisDataforCEcapabUE",
    "WUS-Assistance-Information", "UE-DifferentiationInfo", "NB-IoT-UEPriority", "UL-CP-SecurityInformation",
    "DL-CP-SecurityInformation", "TAI", "UERadioCapabilityForPagingOfNB-IoT", "LTEV2XServicesAuthorized",
    "NRV2XServicesAuthorized", "LTEUESidelinkAggregateMaximumBitrate", "NRUESidelinkAggregateMaximumBitrate", "PC5QoSParameters",
    "AlternativeQoSParaSetList", "CurrentQoSParaSetIndex", "CEmodeBrestricted", "PagingeDRXInformation",
    "CEmodeBSupport-Indicator", "LTEM-Indication", "EndIndication", "EDT-Session",
    "UECapabilityInfoRequest", "PDUSessionResourceFailedToResumeListRESReq", "PDUSessionResourceFailedToResumeListRESRes", "PDUSessionResourceSuspendListSUSReq",
    "PDUSessionResourceResumeListRESReq", "PDUSessionResourceResumeListRESRes", "UE-UP-CIoT-Support", "Suspend-Request-Indication",
    "Suspend-Response-Indication", "RRC-Resume-Cause", "RGLevelWirelineAccessCharacteristics", "W-AGFIdentityInformation",
    "GlobalTNGF-ID", "GlobalTWIF-ID", "GlobalW-AGF-ID", "UserLocationInformationW-AGF",
    "UserLocationInformationTNGF", "AuthenticatedIndication", "TNGFIdentityInformation", "TWIFIdentityInformation",
    "UserLocationInformationTWIF", "DataForwardingResponseERABList", "IntersystemSONConfigurationTransferDL", "IntersystemSONConfigurationTransferUL",
    "SONInformationReport", "UEHistoryInformationFromTheUE", "ManagementBasedMDTPLMNList", "MDTConfiguration",
    "PrivacyIndicator", "TraceCollectionEntityURI", "NPN-Support", "NPN-AccessInformation",
    "NPN-PagingAssistanceInformation", "NPN-MobilityInformation", "TargettoSource-Failure-TransparentContainer", "NID",
    "UERadioCapabilityID", "UERadioCapability-EUTRA-Format", "DAPSRequestInfo", "DAPSResponseInfoList",
    "EarlyStatusTransfer-TransparentContainer", "NotifySourceNGRANNode", "ExtendedSliceSupportList", "ExtendedTAISliceSupportList",
    "ConfiguredTACIndication", "Extended-RANNodeName", "Extended-AMFName",
    // TS 38.413 V17.1.1 ("unknown": ids unassigned in the spec)
    "GlobalCable-ID", "QosMonitoringReportingFrequency", "QosFlowParametersList", "QosFlowFeedbackList",
    "BurstArrivalTimeDownlink", "ExtendedUEIdentityIndexValue", "PduSessionExpectedUEActivityBehaviour", "MicoAllPLMN",
    "QosFlowFailedToSetupList", "SourceTNLAddrInfo", "ExtendedReportIntervalMDT", "SourceNodeID",
    "NRNTNTAIInformation", "UEContextReferenceAtSource", "LastVisitedPSCellList", "IntersystemSONInformationRequest",
    "IntersystemSONInformationReply", "EnergySavingIndication", "IntersystemResourceStatusUpdate", "SuccessfulHandoverReportList",
    "MBS-AreaSessionID", "MBS-QoSFlowsToBeSetupList", "MBS-QoSFlowsToBeSetupModList", "MBS-ServiceArea",
    "MBS-SessionID", "MBS-DistributionReleaseRequestTransfer", "MBS-DistributionSetupRequestTransfer", "MBS-DistributionSetupResponseTransfer",
    "MBS-DistributionSetupUnsuccessfulTransfer", "MulticastSessionActivationRequestTransfer", "MulticastSessionDeactivationRequestTransfer", "MulticastSessionUpdateRequestTransfer",
    "MulticastGroupPagingAreaList", "unknown", "MBS-SupportIndicator", "MBSSessionFailedtoSetupList",
    "MBSSessionFailedtoSetuporModifyList", "MBSSessionSetupResponseList", "MBSSessionSetuporModifyResponseList", "MBSSessionSetupFailureTransfer",
    "MBSSessionSetupRequestTransfer", "MBSSessionSetupResponseTransfer", "MBSSessionToReleaseList", "MBSSessionSetupRequestList",
    "MBSSessionSetuporModifyRequestList", "unknown", "unknown", "unknown",
    "MBS-ActiveSessionInformation-SourcetoTargetList", "MBS-ActiveSessionInformation-TargettoSourceList", "OnboardingSupport", "TimeSyncAssistanceInfo",
    "SurvivalTime", "QMCConfigInfo", "QMCDeactivation", "unknown",
    "PDUSessionPairID", "NR-PagingeDRXInformation", "RedCapIndication", "TargetNSSAIInformation",
    "UESliceMaximumBitRateList", "M4ReportAmount", "M5ReportAmount", "M6ReportAmount",
    "M7ReportAmount", "IncludeBeamMeasurementsIndication", "M6DelayThreshold", "PagingCause",
    "PagingCauseIndicationForVoiceService", "PEIPSassistanceInformation", "FiveG-ProSeAuthorized", "FiveG-ProSeUEPC5AggregateMaximumBitRate",
    "FiveG-ProSePC5QoSParameters", "MBSSessionModificationFailureTransfer", "MBSSessionModificationRequestTransfer", "MBSSessionModificationResponseTransfer",
    "MBS-QoSFlowToReleaseList", "MBS-SessionTNLInfo5GC", "TAINSAGSupportList", "SourceNodeTNLAddrInfo",
    "NGAPIESupportInformationRequestList", "NGAPIESupportInformationResponseList", "MBS-SessionFSAIDList", "MBSSessionReleaseResponseTransfer",
    "ManagementBasedMDTPLMNModificationList",
};

}  // namespace

const char* to_string(pdu_type t) noexcept {
  switch (t) {
    case pdu_type::initiating: return "initiating";
    case pdu_type::successful: return "successful";
    case pdu_type::unsuccessful: return "unsuccessful";
  }
  return "unknown";
}

const char* to_string(criticality c) noexcept {
  switch (c) {
    case criticality::reject: return "reject";
    case criticality::ignore: return "ignore";
    case criticality::notify: return "notify";
  }
  return "unknown";
}

const char* procedure_name(std::uint8_t code) noexcept {
  return code < std::size(procedures) ? procedures[code].name : "unknown";
}

const char* message_name(pdu_type type, std::uint8_t code) noexcept {
  if (code >= std::size(procedures)) return "unknown";
  const procedure_row& r = procedures[code];
  const char* n = type == pdu_type::initiating   ? r.initiating
                  : type == pdu_type::successful ? r.successful
                                                 : r.unsuccessful;
  return n != nullptr ? n : "unknown";
}

const char* ie_name(std::uint16_t id) noexcept {
  return id < std::size(ie_names) ? ie_names[id] : "unknown";
}

criticality procedure_criticality(std::uint8_t code) noexcept {
  return code < std::size(procedures) ? procedures[code].crit : criticality::ignore;
}

const char* pdu::procedure_name() const noexcept { return ngap::procedure_name(procedure_code); }
const char* pdu::message_name() const noexcept { return ngap::message_name(type, procedure_code); }

}  // namespace sec5g::ngap
